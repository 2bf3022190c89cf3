/* demo_dossiers: a year of invented dossiers for the demo portal (`cong init --demo`), so that the
 * statistics, the queues and the look-up page have something to show.  Over whatever procedures the
 * catalog holds, it makes plausible histories on the working-day calendar: submitted online or at the
 * counter, received, processed early, on time or late, some paused for a supplement, some refused or
 * withdrawn, most returned, many rated.  Applicants are fictional (made-up names; CCCD and phone numbers
 * of the right shape, drawn at random).  A fixed seed makes the same mix every time; the dates are counted
 * back from now. */
#ifndef SVC_DEMO_DOSSIERS_H
#define SVC_DEMO_DOSSIERS_H
#include "db/db.h"

#define DEMO_DOSSIERS_DEFAULT 400

/* Adds n dossiers submitted over the 365 days before now, with their events and the daily code
 * sequences, in one transaction.  Does nothing (returns 0) when there are no published procedures or
 * when dossiers exist already.  The number added, or -1 with *err (malloc'd) on a database error. */
int demo_dossiers_load(db_t *db, long long now, int n, char **err);
#endif
