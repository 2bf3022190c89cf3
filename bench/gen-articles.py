#!/usr/bin/env python3
"""Fills a Cổng database with generated, realistic-looking Vietnamese news articles for the search bench.

usage: bench/gen-articles.py DB N [--seed S]

DB is a cong.db made by `cong init` (the schema must be current).  Adds N published articles (about 94 %
Vietnamese, 4 % English, 2 % Chinese) in one transaction, through plain SQL: the search triggers only queue
them (search_dirty), so the index is built afterwards by the server, which is what the bench times.
Words come from the hunspell-vi syllable list (/usr/share/hunspell/vi_VN.dic, Debian package hunspell-vi)
and from the sentence templates below, so the text has the shape and vocabulary of provincial news:
common administrative words often, rare syllables seldom (a Zipf-like draw)."""
import os, random, sqlite3, sys, time, unicodedata

DIC = '/usr/share/hunspell/vi_VN.dic'

PLACES = ['Sông Lam', 'Tân Phong', 'Na Hươu', 'Trà Khê', 'Vũng Mai', 'Ngàn Mây', 'Hải Đông', 'Cửa Vũng',
          'Thạch Lam', 'Đồng Lộc', 'Bình Điền', 'Yên Hòa', 'Phú Đức', 'Xuân Thành', 'Đức Thịnh', 'Kỳ Sơn']
ORGS = ['Ủy ban nhân dân tỉnh', 'Hội đồng nhân dân tỉnh', 'Ban Chấp hành Đảng bộ tỉnh', 'Sở Tài nguyên và Môi trường',
        'Sở Kế hoạch và Đầu tư', 'Sở Giáo dục và Đào tạo', 'Sở Y tế', 'Công an tỉnh', 'Bộ Chỉ huy Quân sự tỉnh',
        'Sở Nông nghiệp và Môi trường', 'Trung tâm Phục vụ hành chính công', 'Hội Nông dân tỉnh', 'Đoàn Thanh niên']
TOPICS = ['thủ tục cấp giấy phép xây dựng', 'giải ngân vốn đầu tư công', 'chuyển đổi số', 'Đề án 06',
          'xây dựng nông thôn mới', 'phòng chống thiên tai', 'cải cách hành chính', 'đất đai và tài nguyên',
          'bảo hiểm y tế', 'tuyển sinh đầu cấp', 'phát triển du lịch cộng đồng', 'an toàn giao thông',
          'sản phẩm OCOP', 'dịch vụ công trực tuyến', 'giảm nghèo bền vững', 'bảo vệ rừng', 'kinh tế biển',
          'nước sạch nông thôn', 'hỗ trợ doanh nghiệp nhỏ và vừa', 'phòng cháy chữa cháy',
          'cấp căn cước công dân', 'đăng ký kinh doanh', 'bồi thường giải phóng mặt bằng', 'quy hoạch đô thị',
          'chăm sóc sức khỏe ban đầu', 'tiêm chủng mở rộng', 'giáo dục nghề nghiệp', 'việc làm cho lao động',
          'nhà ở xã hội', 'đường ven biển', 'cảng biển nước sâu', 'nuôi trồng thủy sản', 'chè đặc sản',
          'lễ hội truyền thống', 'di tích lịch sử', 'thể thao quần chúng', 'an ninh biên giới',
          'phòng chống ma túy', 'thu ngân sách nhà nước', 'xúc tiến đầu tư', 'điện mặt trời mái nhà']
VERBS = ['triển khai', 'tổ chức', 'kiểm tra', 'đánh giá', 'thông qua', 'công bố', 'hướng dẫn', 'đẩy mạnh',
         'khánh thành', 'khởi công', 'tổng kết', 'phát động', 'ký kết', 'hoàn thành']
TITLES = ['{org} {verb} kế hoạch {topic} năm {year}', '{place}: {verb} {topic} tại {n} xã, phường',
          'Hội nghị {topic} tỉnh {place}', '{verb} {topic}, hơn {n} hộ dân được hưởng lợi',
          'Đối thoại với người dân về {topic}', '{org} làm việc tại {place} về {topic}',
          'Kỳ họp chuyên đề: {verb} {n} nghị quyết về {topic}']
SENTENCES = [
    'Ngày {d}/{m}, {org} đã {verb} hội nghị về {topic} với sự tham dự của đại diện {n} xã, phường.',
    'Theo báo cáo, đến nay toàn tỉnh đã {verb} {topic}, đạt {p}% kế hoạch năm {year}.',
    'Phát biểu tại {place}, lãnh đạo {org} đề nghị các địa phương tiếp tục {verb} {topic} một cách quyết liệt.',
    'Người dân {place} cho biết việc {topic} đã giúp tiết kiệm thời gian và chi phí đi lại.',
    'Trong thời gian tới, {org} sẽ phối hợp với các sở, ngành {verb} {topic} gắn với {topic2}.',
    'Tổng kinh phí thực hiện hơn {n} tỷ đồng, trong đó ngân sách tỉnh hỗ trợ {p}%.',
    'Dịp này, {n} tập thể và cá nhân có thành tích xuất sắc được tặng bằng khen.',
    'Đại diện {org} nhấn mạnh: {topic} là nhiệm vụ trọng tâm, cần sự vào cuộc của cả hệ thống chính trị.',
]
EN = ['The provincial People\'s Committee reviewed {n} projects on digital transformation and public services.',
      'Farmers in {place} harvested rice with an estimated yield of {p} quintals per hectare.',
      'The province opened a new coastal road worth {n} billion dong to connect fishing communes.']
ZH = ['松岚省人民委员会召开会议，部署{n}个数字化转型项目。', '{place}农民喜获丰收，水稻单产预计达到每公顷{p}担。',
      '全省经济运行平稳，地区生产总值预计增长{p}%，投资环境持续改善。']


def syllables():
    words = []
    try:
        with open(DIC, encoding='utf-8') as f:
            next(f)
            for line in f:
                w = line.split('/')[0].strip()
                if w and w.isalpha() and w.islower():
                    words.append(unicodedata.normalize('NFC', w))
    except FileNotFoundError:
        sys.exit(f'{DIC} is missing: apt-get install hunspell-vi')
    return words


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    db, n = args[0], int(args[1])
    rnd = random.Random(int(args[3]) if len(args) > 3 and args[2] == '--seed' else 42)
    syl = syllables()
    rnd.shuffle(syl)
    weights = [1.0 / (i + 1) for i in range(len(syl))]  # Zipf: a few syllables are very common
    pool = rnd.choices(syl, weights=weights, k=200000)

    def filler(k):
        return ' '.join(pool[rnd.randrange(len(pool))] for _ in range(k))

    main_topic = [TOPICS[0]]

    def fill(t):
        # an article keeps to its main subject; another one comes up now and then
        topic = main_topic[0] if rnd.random() < 0.9 else rnd.choice(TOPICS)
        return t.format(org=rnd.choice(ORGS), verb=rnd.choice(VERBS), topic=topic,
                        topic2=rnd.choice(TOPICS), place=rnd.choice(PLACES), n=rnd.randint(2, 900),
                        p=rnd.randint(10, 99), d=rnd.randint(1, 28), m=rnd.randint(1, 12),
                        year=rnd.randint(2020, 2026))

    def para():
        s = [fill(rnd.choice(SENTENCES)) for _ in range(rnd.randint(2, 4))]
        s.append(filler(rnd.randint(8, 20)).capitalize() + '.')
        rnd.shuffle(s)
        return ' '.join(s)

    con = sqlite3.connect(db)
    con.execute('PRAGMA synchronous=OFF')
    cur = con.cursor()
    if cur.execute('SELECT count(*) FROM categories').fetchone()[0] == 0:
        for i, (slug, vi, en, zh) in enumerate([('thoi-su', 'Thời sự', 'Current affairs', '时事'),
                                                ('kinh-te', 'Kinh tế', 'Economy', '经济'),
                                                ('van-hoa-xa-hoi', 'Văn hóa – Xã hội', 'Culture and society', '文化社会'),
                                                ('chuyen-doi-so', 'Chuyển đổi số', 'Digital transformation', '数字化转型')], 1):
            cur.execute('INSERT INTO categories (id, position) VALUES (?, ?)', (i, i))
            for lang, name in (('vi', vi), ('en', en), ('zh', zh)):
                cur.execute('INSERT INTO category_i18n (category_id, lang, slug, name) VALUES (?, ?, ?, ?)',
                            (i, lang, slug, name))
    cats = [r[0] for r in cur.execute('SELECT id FROM categories')]
    now = int(time.time())
    start = cur.execute('SELECT coalesce(max(id), 0) FROM articles').fetchone()[0] + 1
    t0 = time.time()
    rows = []
    for i in range(start, start + n):
        r = rnd.random()
        at = now - 60 - (start + n - i) * (5 * 365 * 86400 // max(n, 1)) - rnd.randint(0, 3600)  # ids grow with time
        main_topic[0] = rnd.choice(TOPICS)
        if r < 0.94:
            lang = 'vi'
            title = fill(rnd.choice(TITLES))
            lead = fill(rnd.choice(SENTENCES))
            body = '\n\n'.join(para() for _ in range(rnd.randint(3, 6)))
        elif r < 0.98:
            lang = 'en'
            title = fill(rnd.choice(EN))[:90]
            lead = fill(rnd.choice(EN))
            body = '\n\n'.join(' '.join(fill(rnd.choice(EN)) for _ in range(4)) for _ in range(4))
        else:
            lang = 'zh'
            title = fill(rnd.choice(ZH))[:40]
            lead = fill(rnd.choice(ZH))
            body = '\n\n'.join(''.join(fill(rnd.choice(ZH)) for _ in range(6)) for _ in range(4))
        rows.append((i, lang, rnd.choice(cats), f'bai-{i}', title, lead, body, 'published', at, at, at))
        if len(rows) == 5000:
            cur.executemany('INSERT INTO articles (id, lang, category_id, slug, title, lead, body, status,'
                            ' published_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)', rows)
            rows = []
    if rows:
        cur.executemany('INSERT INTO articles (id, lang, category_id, slug, title, lead, body, status,'
                        ' published_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)', rows)
    con.commit()
    mb = os.path.getsize(db) / 1e6
    print(f'generated {n} articles in {time.time() - t0:.1f} s; database {mb:.0f} MB', file=sys.stderr)


if __name__ == '__main__':
    main()
