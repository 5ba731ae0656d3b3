/**
 * Passwords too common to accept, shipped with the project (no network look-up): the usual top lists'
 * entries, keyboard walks, and words of this company and trade. Compared in lower case, and again without
 * trailing digits and symbols ("Password2024!" is "password"), by `isCommonPassword`.
 */
const LIST = `
123456 123456789 12345678 password qwerty123 qwerty 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 111111 123123 1234567890
1234567 12345 1234 abc123 password1 iloveyou 000000 qwertyuiop 123321 654321 666666 121212 112233 7777777
987654321 88888888 11111111 123qwe 123abc qwe123 zxcvbnm asdfghjkl asdfgh qazwsx qazwsxedc 1qaz2wsx 1qaz2wsx3edc
zaq12wsx zaq1zaq1 passw0rd p@ssw0rd p@ssword pa55word password123 password1234 passwordpassword letmein
letmeinplease welcome welcome1 welcome123 welcometothejungle admin admin123 administrator root toor
changeme change-me changemeplease change-me-please changeit default guest master monkey dragon football
baseball soccer hockey basketball superman batman spiderman starwars princess sunshine shadow michael
jennifer jordan jordan23 hunter hunter2 trustno1 whatever freedom mustang charlie thomas robert daniel
secret secret123 ninja azerty azertyuiop qwertz qwertzuiop qwertyuiopasdfghjkl asdfghjklzxcvbnm
correcthorsebatterystaple correct-horse-battery-staple iloveyou123 loveyou lovely ilovegod
computer internet samsung google apple microsoft windows linux ubuntu
summer winter spring autumn january february december monday friday
summer2024 summer2025 summer2026 winter2024 winter2025 winter2026 spring2025 spring2026 autumn2025 autumn2026
test test123 testing tester testtest demo demo123 sample example user username login
alkeria alkeriarma alkeria-rma rma rmadesk rma-desk returns returnsdesk camera cameras camera123 linescan
warranty repair technician service support helpdesk office company milano milan italia italy
ciao ciaociao amore amoremio tesoro forzainter forzamilan forzajuve juventus inter milan napoli roma lazio
passwort hallo hallo123 schatz fussball geheim geheim123 sommer winter123
motdepasse bonjour soleil chouchou
contrasena contrasenha senha
abcdefgh abcdefghijkl abcdefghijklmnop aaaaaaaaaaaa 0000000000 1111111111 1212121212 9876543210 0123456789
147258369 159753 159357 741852963 963852741 369258147 1234qwer qwer1234 asdf1234 zxcv1234
qwertyqwerty qwerty12345 qwerty123456 abcd1234 abcd12345 a1b2c3d4 a1b2c3d4e5 1a2b3c4d
iloveyouiloveyou ilovemymom myspace facebook instagram twitter linkedin youtube
trustnoone nopassword mypassword newpassword oldpassword yourpassword thepassword
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));

export function isCommonPassword(password: string): boolean {
  const lower = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  const base = lower.replace(/[\d\W_]+$/u, "");
  if (base.length >= 4 && COMMON_PASSWORDS.has(base)) return true;
  // A word repeated ("adminadminadmin") or one character repeated.
  if (/^(.{1,6})\1+$/.test(lower)) return true;
  return false;
}
