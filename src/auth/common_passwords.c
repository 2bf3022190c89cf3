/* Common passwords of at least 10 characters, from the lists attackers use (facts, not prose). */
#include "auth/common_passwords.h"

const char *const common_passwords[] = {
	"1234567890", "0123456789", "12345678910", "1234567891", "123456789a", "123456789q",
	"a123456789", "q123456789", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qwertyuiop",
	"qwertyuiop123", "qwerty12345", "qwerty123456", "asdfghjkl1", "asdfghjkl123", "zxcvbnm123",
	"zaq12wsxcde3", "1qazxsw23edc", "password12", "password123", "password1234", "password2024",
	"password2025", "password2026", "passw0rd123", "p@ssw0rd123", "p@ssword123", "Password123!",
	"iloveyou12", "iloveyou123", "abc1234567", "abcd123456", "abcdefghij", "abcdefg123",
	"1111111111", "0000000000", "2222222222", "1234512345", "1234554321", "9876543210",
	"0987654321", "1122334455", "1212121212", "6969696969", "aaaaaaaaaa", "administrator",
	"admin12345", "admin123456", "adminadmin", "admin@123456", "letmein123", "welcome123",
	"welcome1234", "sunshine123", "princess123", "football123", "baseball123", "superman123",
	"starwars123", "dragon1234", "monkey1234", "master1234", "trustno1234", "whatever123",
	"computer123", "internet123", "changeme123", "secret1234", "freedom123", "shadow1234",
	"michael123", "matkhau123", "matkhau1234", "matkhau12345", "anhyeuem123", "anhyeuem1234",
	"emyeuanh123", "iloveyou1234", "vietnam123", "vietnam1234", "vietnam2024", "vietnam2025",
	"vietnam2026", "hanoi12345", "saigon1234", "congthongtin", "ubndtinh123", "ubnd123456",
	"quantri123", "quantri1234", "admin@2024", "admin@2025", "admin@2026", "Abc@123456",
	"Abc@12345678", "Aa123456789", "Aa@123456789", "Qwerty@123", "Qwerty@1234", "Admin@1234",
	"Admin@12345", "Password@123", "Welcome@123", "Matkhau@123", "Vietnam@123", "1234567890a",
	"1234567890q", "12345qwert", "12345qwerty", "qwert12345", "zxcvbnm1234", "asdf123456",
	"asdfasdfasdf", "qazwsxedcrfv", "147258369a", "1472583690", "3141592653", "2000000000",
	"1357924680", "0912345678", "0987654321a", "0123456789a", "11223344556", "12341234123",
	"123123123123",
};
const size_t common_passwords_count = sizeof(common_passwords) / sizeof(common_passwords[0]);
