"""7(1)オ — material that threatens the city's security (本市のセキュリティを脅かすおそれ).

Passwords and credentials (also 5(10)), secret tokens, internal host names
(*.local, *.internal, *.corp, *.lan, intranet), private and loopback IPv4 addresses
(10/8, 172.16/12, 192.168/16, 127/8, 169.254/16) and admin/VPN URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context
from ..family import Family, RuleDoc
from ..model import Finding
from ..urls import INTERNAL_TLDS

CLAUSE = "7(1)オ"

_ACTION = "公開の場に載せず、該当部分を削除してください。"

PASSWORD = RuleDoc(
    id="security.password",
    clause=CLAUSE,
    severity="block",
    title="パスワード・認証情報",
    what="「パスワード: xxx」「password=xxx」「暗証番号は1234」などの認証情報と、API キーや秘密鍵の"
    "形をした文字列を見つけます。共通・保守用のアカウント名、「ID/パスワード」の組、"
    "「〇〇」＋年度のような作り方、職員用 Wi-Fi の SSID とキーも対象です。",
    why="認証情報の漏えいは市のシステムへの不正アクセスにつながります（認証情報の管理を定めた条項も参照）。",
    example="Wi-Fi パスワード：Matsu2024!",
    use_instead="認証情報は掲載せず、必要な人に別の安全な手段で伝えてください。",
    message="認証情報「{excerpt}」が含まれています。ガイドライン{clause}（セキュリティを脅かす内容）"
    "により掲載できません。" + _ACTION + "漏れた可能性があればパスワードを変更してください。",
)
INTERNAL_HOST = RuleDoc(
    id="security.internal-host",
    clause=CLAUSE,
    severity="block",
    title="内部ホスト名・内部IPアドレス",
    what="*.local / *.internal / *.corp / *.lan / intranet などの内部ホスト名と、"
    "プライベート・ループバック"
    "IP アドレス（10/8、172.16/12、192.168/16、127/8、169.254/16）を見つけます。",
    why="内部ネットワークの構成は攻撃の手がかりになります。",
    example="ファイルは fileserver.city.local に置きました（192.168.10.5）。",
    use_instead="内部の所在は掲載しないでください。",
    message="内部ネットワークの情報「{excerpt}」が含まれています。ガイドライン{clause}により"
    "掲載できません。" + _ACTION,
)
ADMIN_URL = RuleDoc(
    id="security.admin-url",
    clause=CLAUSE,
    severity="block",
    title="管理画面・VPN の URL",
    what="/admin、/wp-admin、/wp-login.php、/phpmyadmin などの管理画面や"
    " vpn. で始まるホスト、職員ポータルの職員用ページ（portal.…/staff/）の URL を"
    "見つけます。",
    why="管理画面や VPN の入口を公開すると攻撃の標的になります。",
    example="更新は https://www.example.jp/wp-admin/ から",
    use_instead="管理用の URL は掲載しないでください。",
    message="管理画面・VPN の URL「{excerpt}」が含まれています。ガイドライン{clause}により"
    "掲載できません。" + _ACTION,
)

WEAKNESS = RuleDoc(
    id="security.weakness",
    clause=CLAUSE,
    severity="block",
    title="鍵の置き場所・解錠番号・警備や更新の手薄さ",
    what="サーバ室や金庫の鍵の置き場所、扉のテンキーの番号（カナ書きを含む）、警備の手薄な時間、"
    "更新プログラムが当たっていない端末、ログインしたまま離席される端末、パスワードなしでつながる回線、"
    "止まっている・更新されていないウイルス対策やファイアウォール、機密・個人情報の持ち帰りや外部への送信など、"
    "侵入や攻撃の手がかりになる庁内の弱点を見つけます。",
    why="物理的な鍵や警備、端末の弱点を公開すると、不正な侵入や攻撃を招きます。",
    example="サーバ室の鍵は、総務課の金庫の上から2段目です。",
    use_instead="庁内の鍵・警備・システムの状態は掲載せず、必要な人に直接伝えてください。",
    message="「{excerpt}」は庁舎やシステムの弱点を知らせる内容です。ガイドライン{clause}"
    "（セキュリティを脅かす内容）により掲載できません。" + _ACTION,
)

_RULES = (PASSWORD, INTERNAL_HOST, ADMIN_URL, WEAKNESS)
_PHRASES = ()

_PASSWORD_RE = re.compile(
    r"(?:パスワ[ー一\-]ド|ぱすわ[ーー一\-]ど|ﾊﾟｽﾜｰﾄﾞ|パスコード|暗証番号|認証コード|ログインID|ログインＩＤ|"
    r"(?<![A-Za-z])(?:password|passwd|passcode|pwd|pass|p ?w|pin)(?![A-Za-z]))"
    r"[ \t]{0,2}(?:は|:|=|:|は、|を?[^\n。]{0,20}?(?:→|⇒|->))[ \t]{0,2}[「『\"'(]?[ \t]?"
    r"(?P<value>[!-~]{4,64})",
    re.IGNORECASE,
)
# 「パスワード Hamano#2026」: only a space after the word; the value then has to look like a
# credential (letters and digits, 6+ characters) so that 「パスワード reset の手順」 stays quiet.
_PASSWORD_SPACED_RE = re.compile(
    r"(?:パスワ[ー一\-]ド|ぱすわ[ー一\-]ど|パスコード|(?<![ァ-ヴー])パス(?![ァ-ヴー])|"
    r"(?<![A-Za-z])(?:password|passwd|pass|pw)(?![A-Za-z]))"
    r"[ \t\u3000]{1,3}(?P<value>(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])[!-~]{6,64})",
    re.IGNORECASE,
)
# 「SSIDは…、キーはhamano2026staff」: a wireless network key named after the network.
_WIFI_KEY_RE = re.compile(
    r"(?:Wi-?Fi|WiFi|SSID|無線LAN|ワイファイ)[^\n]{0,50}?"
    r"(?P<key>暗号化キー|セキュリティキー|ネットワークキー|キー|key|パス)[ \t]{0,2}(?:は|が|:|：|=)[ \t]{0,2}"
    r"(?P<value>(?=[!-~]*[0-9A-Za-z])[!-~]{6,64})",
    re.IGNORECASE,
)
# 「暗証番号は4桁の1234です」: a PIN is digits a few characters after the word.
_PIN_RE = re.compile(
    r"(?:暗証番号|PINコード|PIN|ピン番号|認証(?:の)?コード|確認コード|ワンタイム(?:パスワード)?|"
    r"セキュリティコード|解錠番号|ロック(?:解除)?番号)[^\n。]{0,24}?(?<![0-9])(?P<value>[0-9]{4,8})(?![0-9])"
)
# Default credentials written as user/password: 「admin/admin」「root / root」.
_DEFAULT_PAIR = re.compile(
    r"(?<![A-Za-z0-9])(?:admin|root|user|guest|test|administrator)\s?/\s?"
    r"(?:admin|root|password|pass|guest|test|1234|12345|123456|0000)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# How passwords are made or shared, which is as good as the password: 「初期パスワードは生年月日
# 8桁」「ログインIDは職員番号と同じ」「パスワードも初期設定のまま」.
_SCHEME_RE = re.compile(
    r"(?:パスワ[ー一\-]ド|ログインID|ログインＩＤ|ユーザー?(?:名|ID|ＩＤ)|暗証番号)(?:は|も|が)[ \t]?[^\n。]{0,8}?"
    r"(?:生年月日|誕生日|職員番号|電話番号|内線番号|初期設定のまま|初期値のまま|全員(?:共通|同じ)|"
    r"(?:課内|全庁|部署|係)(?:で)?共通|(?:ID|ＩＤ|ユーザー名)と同じ)"
    r"(?:[0-9]+桁|と同じ|のまま)?"
)
# Advice about passwords names the same things: 「パスワードは生年月日などを避けてください」.
_ADVICE = re.compile(
    r"避け|使わない|しない|ないで|やめ|NG|危険|推測|注意|ご確認|変更して|設定して|しましょう"
)
# 「アカウント：bousai / musen2024」「IDは共通の kouhou01」: an account written out.
_ACCOUNT_RE = re.compile(
    r"(?:アカウント|ログイン(?:ID|ＩＤ)?|ユーザー?(?:名|ID|ＩＤ)|利用者ID|(?<![A-Za-z])ID)[^\n。]{0,10}?"
    r"(?:は|:|：)[ \t]?(?:[^\n。]{0,6}?(?:共通|共有)の[ \t]?)?"
    r"(?P<user>[A-Za-z][A-Za-z0-9_.\-]{3,31})"
    # the password after a slash, perhaps with its own label: 「guest-vpn／パス Haru#0301」
    r"(?:[ \t]?/[ \t]?(?:(?:パス(?:ワード)?|PW|pass(?:word)?)[ \t:：は]{0,2})?(?P<pw>[!-~]{4,64}))?"
)
# What makes a lone user name a credential: the account is shared or for maintenance
# (「共通ID は guest-vpn」「保守用アカウントは mnt_ops」), not someone's public handle.
_SHARED_ACCOUNT = re.compile(r"共通|共有|保守用?|管理者用?|管理用|作業用|職員用|庁内|運用")
# A lone user name in a system context must look like an account id, not a word.
_ID_LIKE = re.compile(r"[0-9_]")
# 「IDとPWは前と同じ（city/city1234）」: a user/password pair after both labels.
_PAIR_LABELS = re.compile(
    r"(?:ID|ＩＤ|ユーザー?名|アカウント)[^\n。]{0,4}?(?:PW|パスワ|パス|pass)", re.I
)
_PAIR_RE = re.compile(
    r"(?<![A-Za-z0-9_.\-/:@])(?P<user>[A-Za-z][A-Za-z0-9_.\-]{2,31})[ \t]?/[ \t]?"
    r"(?P<pw>(?=[!-~]*[0-9!#$%&*@])[!-~]{4,64}?)(?=[)）」』\s。、]|です|$)"
)
# 「パスはいつもの「cityPR」＋今年の西暦」: a password made of a given word plus something known.
_COMPOSED_RE = re.compile(
    r"(?:パスワ[ー一\-]ド|ぱすわ[ー一\-]ど|(?<![ァ-ヴー])パス(?![ァ-ヴー])|PW|password)"
    r"[^\n。]{0,12}?[「『\"'](?P<word>[!-~]{3,32})[」』\"'][ \t]?[+＋][ \t]?[^\n。、]{1,12}?"
    r"(?=です|で[^\n。]{0,6}(?:OK|可|大丈夫|ログイン)|[。、\n]|$)",
    re.IGNORECASE,
)
# After a scheme (「パスワードは全員共通で Sakura2026! です」) the value itself may follow.
_SCHEME_VALUE = re.compile(
    r"[^\n。]{0,6}?[ \t]?(?P<value>(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])[!-~]{6,64})"
)
# 「職員用のSSID「koho-staff-5G」」: the name of a network meant for staff only.
_STAFF_SSID = re.compile(
    r"(?:職員用|職員専用|庁内用?|内部用?|業務用)の?[ \t]?(?:Wi-?Fi|無線LAN)?(?:の)?SSID[ \t]?"
    r"(?:は|:|：)?[ \t]?[「『\"']?(?P<value>[!-~]{3,32}?)[」』\"']?(?=[ \t、。」』]|が|で|は|$)",
    re.IGNORECASE,
)
# 「入室暗証番号が変わりました。新しい番号は 0417# です」: the code in the next sentence.
_PIN_NEXT = re.compile(
    r"(?:暗証番号|解錠番号|テンキー|ロック番号|PIN)[^\n。]{0,20}。[ \t]?"
    r"(?:新しい|変更後の|今度の|今の)?(?:番号|暗証番号|コード)(?:は|:|：)[ \t]?"
    r"(?P<value>[0-9]{4,8}[#*＃＊]?)(?![0-9])"
)
_WEAKNESS_RE = re.compile(
    r"(?:サーバ[ー]?室|電算室|マシン室|金庫|書庫|庁舎|通用口|裏口)の(?:鍵|カギ|合鍵|スペアキー)は[^\n。]{0,30}?"
    r"(?:段目|引き出し|の中|の上|の下|の裏|に(?:入って|置いて|かけて|掛けて))"
    r"|(?:テンキー|暗証番号|解錠番号|ロック番号|ドアの番号)(?:の番号|、番号|の暗証番号)?(?:は|:|：)[ \t]?"
    r"(?:イチ|ニー|ニ|サン|ヨン|シ|ゴー|ゴ|ロク|ナナ|シチ|ハチ|キュー|キュウ|ゼロ|レイ|マル|ー){3,12}"
    r"|(?:警備|警備員|守衛|宿直)[^\n。]{0,30}?(?:1名|一名|一人|ひとり)(?:だけ|のみ)"
    r"|(?:警備|セキュリティ|監視)[^\n。]{0,30}?手薄"
    r"|(?:パッチ|修正プログラム|更新プログラム|セキュリティ更新)(?:も|が|は)?"
    r"(?:当たって|適用(?:して|され(?:て)?))(?:い)?(?:ない|ません)"
    r"|(?:Windows ?(?:XP|7|8|Vista)|サポート(?:が)?切れ)[^\n。]{0,12}?(?:端末|パソコン|PC|サーバ)[^\n。]{0,10}?(?:まだ|残って)"
)
# Round 8a: more of the same weaknesses, said another way; each is dropped when its sentence
# is advice or a notice (_OPEN_ADVICE). An out-of-support system still in use (「いまだに
# Windows7 の端末で動いてる」); where keys are kept, as a list or a place (「非常口の鍵の保管場所
# 一覧」); what a security camera does not see (「裏口だけ映ってない」「死角」「ダミー」); a
# system reachable without its gate (「VPNなしで見えちゃう」「認証なしで開ける」).
_WEAKNESS_MORE_RE = re.compile(
    r"(?:まだ|未だに|いまだに|今だに|今でも|今も)[^\n。]{0,10}?(?:Windows ?(?:XP|7|8|Vista)|サポート(?:が)?切れ)"
    r"|(?:Windows ?(?:XP|7|8|Vista)|サポート(?:が)?切れ)(?:の)?[^\n。]{0,10}?(?:端末|パソコン|PC|サーバ|OS)で"
    r"(?:動いて|動かして|稼働|運用|使って|回して)"
    r"|(?:鍵|カギ|合鍵|スペアキー|マスターキー)の(?:保管場所|置き場所|置き場|隠し場所|在り処|ありか|保管庫)"
    r"(?:の?一覧|の?リスト|は|、|を)"
    r"|(?:監視カメラ|防犯カメラ|カメラ)(?:は|が|も|、)?[^\n。]{0,24}?"
    r"(?:(?:だけ|のみ)(?:は)?映って(?:い)?ない|映って(?:い)?ない(?:ん|所|場所|範囲)|死角|ダミー|映らない(?:所|場所|範囲|ん))"
    r"|(?:VPN|認証|ログイン|パスワ[ー一]ド)(?:なし|無し|を通さず|不要)で[^\n。]{0,10}?"
    r"(?:見え|見られ|開け|開く|入れ|アクセスでき|つなが|繋が|使え)"
)
# Who guards a building, said absent for a stretch of time (「警備員さんが夜10時から朝6時まで
# いない」「土日は守衛が不在」): the gap in the guard itself, whatever the post asks for.
_GUARD_GAP_RE = re.compile(
    r"(?:警備員|警備の人|警備会社|守衛|宿直|夜間警備|警備)(?:さん)?(?:は|が|も)?[^\n。]{0,20}?"
    r"(?:[0-9]+時|夜間|深夜|夜中|休日|週末|土日|年末年始|お盆|連休)[^\n。]{0,16}?"
    r"(?:いない|いません|居ない|不在|無人|来ない|来ません|帰る|帰ります|引き上げ)"
)
_WEAKNESS_MORE_WORDS = (
    "Windows",
    "サポート",
    "鍵",
    "カギ",
    "キー",
    "カメラ",
    "なし",
    "無し",
    "通さず",
    "不要",
)
_GUARD_WORDS = ("警備", "守衛", "宿直")
# Its notices (「夜間は警備員が不在のため、…ご注意ください」) say the same, but to the public the
# gap is no news when the post is about opening hours: only a closed building's guard counts.
_GUARD_QUIET = re.compile(r"開館|開庁時間|受付時間|利用時間|ご利用")
# 「パスワードは全員 Haru2025! に統一」「課のパスは cityhall01 ね」: a value that looks like a
# credential (ASCII letters and digits, 6+) a few words after the word and its particle.
_PASSWORD_NEAR_RE = re.compile(
    r"(?:パスワ[ー一\-]ド|ぱすわ[ー一\-]ど|パスコード|(?<![ァ-ヴー])パス(?![ァ-ヴー])|(?<![A-Za-z])PW(?![A-Za-z]))"
    r"(?:は|が|も)[^\n。]{0,10}?(?<![!-~])(?P<value>(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])[!-~]{6,64})"
    r"(?=[ \t\u3000]|に|で|です|ね|よ|だ|。|、|$)",
    re.IGNORECASE,
)
# A system left open, said of the city's own equipment: a logged-in terminal left alone, a
# connection without a password, security software or a firewall stopped or not updated.
_OPEN_SYSTEM_RE = re.compile(
    r"(?:ファイアウォール|ウイルス対策|ウィルス対策|セキュリティソフト|防御|監視カメラ|警備システム)"
    r"[^\n。]{0,20}?(?:止ま|停止|無効|切れ|オフに|更新されて(?:い)?ない|更新してない|更新して(?:い)?ません)"
    r"|(?:定義ファイル|パッチ|OS|ソフト)[^\n。]{0,10}?(?:更新|アップデート)(?:が|も|は)?[^\n。]{0,8}?"
    r"(?:されて(?:い)?ない|して(?:い)?ない|止まって)"
    r"|(?:パスワ[ー一]ド|認証|ID)(?:なし|無し|不要)で[^\n。]{0,10}?(?:接続|ログイン|入れ|アクセス|使え|つなが|繋が)"
    r"|ログイン(?:した)?(?:まま|状態で)[^\n。]{0,10}?(?:席を外|離席|帰|放置|置きっぱなし)"
)
# Advice and notices name the same states: 「ログインしたまま席を外さないでください」.
_OPEN_ADVICE = re.compile(
    r"ないで|ないよう|ください|しましょう|(?<!取扱)(?<!取扱い)(?<!取り扱い)注意|危険|禁止|避け|気をつけ|防ぐ|防止|お願いします|のため"
)
# Marked or personal data carried or sent outside: 「機密性3のファイルをUSBに入れて持ち帰り」.
_TAKEN_OUT_RE = re.compile(
    r"(?:USB(?:メモリ)?|自宅|家の|私物|私用|個人の(?:PC|パソコン|メール|スマホ|アドレス)|外部)"
    r"[^\n。]{0,12}?(?:持ち帰|持ち出|送っ|送信|転送|アップ)"
    # 「USBに入れて家で作業」「私物のPCにコピーして」「自宅で開いて」
    r"|(?:USB(?:メモリ)?|私物の?(?:PC|パソコン|スマホ)?|個人の(?:PC|パソコン|スマホ|クラウド))に"
    r"(?:入れ|コピー|保存|移し|落とし)"
    r"|(?:家|自宅)で(?:作業|仕事|開い|見て|編集)"
)
_MARKED_DATA = re.compile(r"機密|きみつ|キミツ|秘|個人情報|住民情報|内部|部外|取扱注意|名簿|台帳")
_TAKEN_OUT_HINTS = (
    "持ち帰",
    "持ち出",
    "送っ",
    "送信",
    "転送",
    "アップ",
    "USB",
    "私物",
    "個人の",
    "家で",
    "自宅で",
)
# 「パスワードは…ここに書きます：Pw#8812」: the value given a few words after the word.
_PASSWORD_LATER_RE = re.compile(
    r"(?:パスワ[ー一\-]ド|暗証番号|パスコード)[^\n]{0,30}?(?:書きます|書いておきます|載せます|こちら|以下)"
    r"[ \t]?[:：][ \t]?(?P<value>[!-~]{4,64})"
)
_ACCOUNT_CONTEXT = re.compile(r"ログイン|管理画面|CMS|cms|VPN|vpn|接続先|遠隔|パスワ|サーバ")
_SECRET_RE = re.compile(
    r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----|(?<![A-Za-z0-9])(?:AKIA[0-9A-Z]{16}|"
    r"xox[abpr]-[0-9A-Za-z-]{10,}|gh[pousr]_[0-9A-Za-z]{30,}|AIza[0-9A-Za-z_\-]{35})"
)
_PASSWORD_HINTS = (
    "パス",
    "ぱす",
    "pass",
    "pw",
    "p w",
    "pin",
    "暗証",
    "認証",
    "ログイン",
    "ピン番号",
    "キー",
    "key",
    "コード",
    "ワンタイム",
    "番号",
    "/",
    "アカウント",
    "ユーザ",
)
# Words of which each pattern's every match holds one (lower-cased for the IGNORECASE
# patterns): a pattern whose words are all absent from the post cannot match, so it is not
# run. Most posts hold a hint (a URL's "/", 番号) but none of these words.
_DEFAULT_PAIR_WORDS = ("admin", "root", "user", "guest", "test")
_PASSWORD_WORDS = (
    "パスワ",
    "ぱすわ",
    "ﾊﾟｽﾜ",
    "パスコード",
    "暗証番号",
    "認証コード",
    "ログイン",
    "pass",
    "pwd",
    "pw",
    "p w",
    "pin",
)
_SPACED_WORDS = ("パス", "ぱすわ", "pass", "pw")
_NEAR_WORDS = ("パス", "ぱすわ", "pw")
_WIFI_WORDS = ("wifi", "wi-fi", "ssid", "無線lan", "ワイファイ")
_LATER_WORDS = ("パスワ", "暗証番号", "パスコード")
_PIN_WORDS = (
    "暗証番号",
    "PIN",
    "ピン番号",
    "認証",
    "確認コード",
    "ワンタイム",
    "セキュリティコード",
    "解錠番号",
    "ロック",
)
_SCHEME_WORDS = ("パスワ", "ログイン", "ユーザ", "暗証番号")
_ACCOUNT_WORDS = ("アカウント", "ログイン", "ユーザ", "ID", "ＩＤ")
_WEAKNESS_WORDS = (
    "鍵",
    "カギ",
    "スペアキー",
    "テンキー",
    "暗証番号",
    "解錠番号",
    "ロック番号",
    "ドアの番号",
    "警備",
    "守衛",
    "宿直",
    "手薄",
    "パッチ",
    "プログラム",
    "セキュリティ更新",
    "Windows",
    "サポート",
)
_OPEN_SYSTEM_WORDS = (
    "ファイアウォール",
    "ウイルス対策",
    "ウィルス対策",
    "防御",
    "監視カメラ",
    "警備システム",
    "定義ファイル",
    "パッチ",
    "OS",
    "ソフト",
    "なし",
    "無し",
    "不要",
    "ログイン",
)
# Letters that an IGNORECASE pattern matches but str.lower() does not turn into ASCII
# (dotless ı matches i, long ſ matches s): with one of them in the post, no word gate.
_CASE_SPECIALS = ("ı", "ſ")


def _any_in(words: tuple[str, ...], text: str) -> bool:
    return any(w in text for w in words)


_AFTER_ADDRESS = re.compile(r"\s?[/／、,]\s?(?P<value>[!-~]{4,64}?)(?=[\s。、]|です|$)")
_ADMIN_PATH = re.compile(
    r"^/(?:wp-admin|wp-login\.php|admin|administrator|phpmyadmin|cpanel|webmail|manager|"
    r"manage|cms/admin|user/login|xmlrpc\.php)(?:[/?#.]|$)",
    re.IGNORECASE,
)
_ADMIN_LABELS = ("vpn", "sslvpn", "admin", "intranet", "intra", "cms", "groupware")
# A staff-only entry point on any host: 「portal.…/staff/login」「…/shokuin/」.
_STAFF_PATH = re.compile(r"^/(?:staff|shokuin|syokuin|internal|intra)(?:[/?#.]|$)", re.IGNORECASE)
_STAFF_LABELS = ("portal", "staff", "shokuin")


def _private(octets: tuple[int, int, int, int]) -> bool:
    a, b = octets[0], octets[1]
    return (
        a == 10
        or a == 127
        or (a == 172 and 16 <= b <= 31)
        or (a == 192 and b == 168)
        or (a == 169 and b == 254)
    )


def private_ip_host(host: str) -> bool:
    """True when a URL's host is a private or loopback IPv4 address."""
    parts = host.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        return False
    a, b, c, d = (int(p) for p in parts)
    return _private((a, b, c, d))


def internal_host(host: str) -> bool:
    """True for host names that only exist inside an organisation's network."""
    labels = host.split(".")
    return (
        labels[-1] in INTERNAL_TLDS
        or "intranet" in labels
        or len(labels) == 1
        or host.endswith(".home.arpa")
    )


def admin_host(host: str) -> bool:
    """True for VPN or admin entry-point hosts (vpn.example.jp, sslvpn2.example.jp)."""
    first = host.split(".", 1)[0]
    for p in _ADMIN_LABELS:
        rest = first[len(p) :]
        if first.startswith(p) and (rest == "" or rest.startswith("-") or rest.isdigit()):
            return True
    return False


def _admin_path(host: str, path: str) -> bool:
    """An admin path on any host, or a staff-only path on a portal host."""
    if _ADMIN_PATH.match(path):
        return True
    return bool(_STAFF_PATH.match(path)) and host.split(".", 1)[0] in _STAFF_LABELS


def _block(ctx: Context, doc: RuleDoc, a: int, b: int) -> Finding:
    """A blocking finding of ``doc`` on ``norm[a:b]``."""
    return ctx.finding(
        ctx.norm,
        a,
        b,
        rule=doc.id,
        clause=CLAUSE,
        severity="block",
        message=doc.format(ctx.display(ctx.norm, a, b)),
    )


def scan(ctx: Context) -> Iterator[Finding]:
    """Credentials, internal hosts and IPs, admin/VPN URLs."""
    norm = ctx.norm
    lowered = norm.text.lower()  # a cheap test before the regexes
    hint = any(h in lowered for h in _PASSWORD_HINTS)
    text = norm.text
    # For the IGNORECASE patterns, the words are looked up in the lower-cased post.
    folded = lowered if hint and not _any_in(_CASE_SPECIALS, lowered) else None

    def words(ws: tuple[str, ...]) -> bool:
        return folded is None or _any_in(ws, folded)

    pair_words = hint and "/" in text and words(_DEFAULT_PAIR_WORDS)
    for m in _DEFAULT_PAIR.finditer(norm.text) if pair_words else ():
        yield _block(ctx, PASSWORD, m.start(), m.end())
    for m in _PASSWORD_RE.finditer(norm.text) if hint and words(_PASSWORD_WORDS) else ():
        value = m.group("value").rstrip("」』\"')。、.,")
        if "@" in value:
            # 「メールアドレスとパスワードは、x@y.jp / Secret1」: the password follows the address.
            pair = _AFTER_ADDRESS.match(norm.text, m.start("value") + len(value))
            if pair is not None:
                end = pair.end("value")
                yield _block(ctx, PASSWORD, pair.start("value"), end)
        if len(set(value)) <= 1 or value.lower() in {"****", "xxxx", "none", "null"}:
            continue  # masked
        end = m.start("value") + len(value)
        yield _block(ctx, PASSWORD, m.start(), end)
    later = (
        (_PASSWORD_SPACED_RE, words(_SPACED_WORDS)),
        (_WIFI_KEY_RE, words(_WIFI_WORDS)),
        (_PASSWORD_LATER_RE, _any_in(_LATER_WORDS, text)),
    )
    for rx, present in later if hint else ():
        if not present:
            continue
        for m in rx.finditer(norm.text):
            value = m.group("value").rstrip("」』\"')。、.,")
            if len(set(value)) <= 1:
                continue  # masked
            end = m.start("value") + len(value)
            yield _block(ctx, PASSWORD, m.start(), end)
    for m in _PASSWORD_NEAR_RE.finditer(norm.text) if hint and words(_NEAR_WORDS) else ():
        if _ADVICE.search(ctx.sentence_text(m.start(), m.end())):
            continue
        yield _block(ctx, PASSWORD, m.start(), m.end("value"))
    # (a PIN also caught above is de-duplicated by the checker: same rule, same span)
    for m in _PIN_RE.finditer(norm.text) if hint and _any_in(_PIN_WORDS, text) else ():
        yield _block(ctx, PASSWORD, m.start(), m.end())
    found_scheme = False
    for m in _SCHEME_RE.finditer(text) if hint and _any_in(_SCHEME_WORDS, text) else ():
        if _ADVICE.search(ctx.sentence_text(m.start(), m.end())):
            continue
        found_scheme = True
        value = _SCHEME_VALUE.match(text, m.end())
        end = m.end() if value is None else value.end("value")
        yield _block(ctx, PASSWORD, m.start(), end)
    # an account name given beside an admin or VPN entry point is the other half of a login
    admin_url = any(
        hit.kind != "email" and (admin_host(hit.host) or _ADMIN_PATH.match(hit.path or ""))
        for hit in ctx.urls
    )
    account_words = _any_in(_ACCOUNT_WORDS, text)
    if (found_scheme or hint) and account_words and _ACCOUNT_CONTEXT.search(text):
        for m in _ACCOUNT_RE.finditer(text):
            shared = "共" in m.group() or _SHARED_ACCOUNT.search(
                text, max(0, m.start() - 6), m.start()
            )
            # a lone user name is not a credential unless it is shared, or an account id
            # given in a sentence about logging in or a system
            lone_ok = (_ID_LIKE.search(m.group("user")) or admin_url) and _ACCOUNT_CONTEXT.search(
                ctx.sentence_text(m.start(), m.end())
            )
            if m.group("pw") is None and not shared and not lone_ok:
                continue
            a = m.start("user")
            last = "pw" if m.group("pw") is not None else "user"
            b = m.start(last) + len(m.group(last).rstrip("()[]「」『』\"'。、.,"))
            yield _block(ctx, PASSWORD, a, b)
    for m in _COMPOSED_RE.finditer(text) if hint and "+" in text else ():
        yield _block(ctx, PASSWORD, m.start(), m.end())
    pin_word = hint and any(w in text for w in ("暗証", "解錠", "テンキー", "ロック番号", "PIN"))
    for m in _PIN_NEXT.finditer(text) if pin_word else ():
        yield _block(ctx, PASSWORD, m.start("value"), m.end("value"))
    for m in _STAFF_SSID.finditer(text) if "ssid" in lowered else ():
        yield _block(ctx, PASSWORD, m.start(), m.end("value"))
    if hint and "/" in text and _PAIR_LABELS.search(text):
        for m in _PAIR_RE.finditer(text):
            sa, _ = ctx.sentence(m.start(), m.end())
            if _PAIR_LABELS.search(text, sa, m.start()):
                yield _block(ctx, PASSWORD, m.start(), m.end())
    for m in _WEAKNESS_RE.finditer(text) if _any_in(_WEAKNESS_WORDS, text) else ():
        yield _block(ctx, WEAKNESS, m.start(), m.end())
    for m in _WEAKNESS_MORE_RE.finditer(text) if _any_in(_WEAKNESS_MORE_WORDS, text) else ():
        if not _OPEN_ADVICE.search(ctx.sentence_text(m.start(), m.end())):
            yield _block(ctx, WEAKNESS, m.start(), m.end())
    for m in _GUARD_GAP_RE.finditer(text) if _any_in(_GUARD_WORDS, text) else ():
        if not _GUARD_QUIET.search(ctx.sentence_text(m.start(), m.end())):
            yield _block(ctx, WEAKNESS, m.start(), m.end())
    for m in _OPEN_SYSTEM_RE.finditer(text) if _any_in(_OPEN_SYSTEM_WORDS, text) else ():
        if not _OPEN_ADVICE.search(ctx.sentence_text(m.start(), m.end())):
            yield _block(ctx, WEAKNESS, m.start(), m.end())
    if any(h in text for h in _TAKEN_OUT_HINTS):
        for m in _TAKEN_OUT_RE.finditer(text):
            s, e = ctx.sentence(m.start(), m.end())
            if _MARKED_DATA.search(text, s, e) and not _OPEN_ADVICE.search(text, s, e):
                yield _block(ctx, WEAKNESS, m.start(), m.end())
    secret_hint = any(h in norm.text for h in ("-----BEGIN", "AKIA", "xox", "gh", "AIza"))
    for m in _SECRET_RE.finditer(norm.text) if secret_hint else ():
        yield _block(ctx, PASSWORD, m.start(), m.end())
    for ip in ctx.ips:
        if _private(ip.octets):
            yield _block(ctx, INTERNAL_HOST, ip.start, ip.end)
    for hit in ctx.urls:
        if hit.kind == "email":
            continue
        if internal_host(hit.host) and not hit.host.replace(".", "").isdigit():
            yield _block(ctx, INTERNAL_HOST, hit.start, hit.end)
        elif admin_host(hit.host) or (hit.path and _admin_path(hit.host, hit.path)):
            yield _block(ctx, ADMIN_URL, hit.start, hit.end)


FAMILY = Family(
    name="security",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    scan=scan,
)
