"""7(1)ク — portrait, privacy and copyright (肖像権、プライバシー権、著作権等).

Reprinting third-party material (〜より転載, 画像お借りしました), covert or unauthorised photos
(無断で撮影, 盗撮), and posting identifiable people without consent (本人の許可なし).
Data: ``rights_phrases.tsv``; the consent pattern is in code below. The city's own notice
「無断転載禁止」 stays quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context
from ..cues import CueSet, cue_findings
from ..family import DataFiles, Family, PhraseFile, RuleDoc
from ..model import Finding

CLAUSE = "7(1)ク"

REPRINT = RuleDoc(
    id="rights.reprint",
    clause=CLAUSE,
    severity="review",
    title="転載・無断使用・無断撮影",
    what="第三者の著作物の転載（〜より転載、画像お借りしました）や無断使用（review）、無断撮影・盗撮"
    "（block）を示す表現を見つけます。トレース・模写、番組や映画を録画して流すこと、JASRAC や作者への"
    "許諾の手続きをしていないことも対象です。人の投稿から借りた写真（〜さんの投稿からお借り）や、"
    "作家の本などを丸ごと写すこと（全ページスキャン）も報告します。「無断転載禁止」の注意書きや農地の"
    "無断転用は対象外です。",
    why="著作権・肖像権・プライバシー権を侵害する内容は掲載できません。",
    example="〇〇新聞より転載しました。",
    use_instead="権利者の許諾を得たことを確認し、出典を明記するか、市が権利を持つ素材を使ってください。",
    message="「{excerpt}」は著作権・肖像権等を侵害するおそれがある表現です（ガイドライン{clause}）。"
    "権利者や本人の了解を得ているか確認してください。",
)
NO_CONSENT = RuleDoc(
    id="rights.no-consent",
    clause=CLAUSE,
    severity="block",
    title="本人の了解のない写真・映像",
    what="「本人の許可なし」「許可なく撮影」など、写っている人の了解がないことを示す表現を見つけます。"
    "家族に内緒で載せる写真や、画像に写った人を「この方に心当たりのある方は」と探す投稿も報告します"
    "（行方不明者の捜索は対象外）。",
    why="個人が特定できる写真や映像は事前に本人等の了解を得る必要があります。",
    example="本人の許可なしで撮った写真ですが、雰囲気が伝わるので載せます。",
    use_instead="本人・保護者・所属団体の了解を得るか、個人が特定できないよう加工してください。",
    message="「{excerpt}」とあり、写っている人の了解を得ていないおそれがあります。ガイドライン{clause}"
    "により、個人が特定できる写真・映像は事前に本人等の了解が必要です。了解を得てから掲載してください。",
)

_RULES = (REPRINT, NO_CONSENT)
_PHRASES = (PhraseFile("rights/rights_phrases.tsv", REPRINT.id, CLAUSE, (CLAUSE,)),)

_NO_CONSENT = re.compile(
    r"(?:ご?本人|当人|被写体|写っている(?:方|人)|相手|保護者|ご家族)(?:の|に|から|さん)?"
    r"(?:許可|了解|了承|同意|承諾|許諾|OK)(?:なし|無し|なく|を得ず|を得ないで|を取らず|を取らないで|"
    r"[はを]?(?:得て|とって|取って|もらって)(?:い)?(?:ない|ません)|は?未確認|"
    r"を確認して(?:い)?(?:ない|ません))"
    r"|(?:許可|了解|同意|承諾)(?:なく|を得ずに?|を取らずに?)(?:撮影|撮っ|掲載|投稿|公開)"
)


_FORBIDS = re.compile(r"禁止|ご遠慮|しないで|おやめ|できません|禁じ|ないよう|配慮")
# The permission is said to be there: 「（ご本人の許可を得ています）」「提供：…」.
_GRANTED = re.compile(
    r"許可を(得|い|頂|もら)|了承を(得|い|頂|もら)|承諾を(得|い|頂|もら)|ご提供|提供：|提供:|協力："
)


def load(files: DataFiles) -> CueSet:
    """Read consent.tsv (kinds missing, reuse, use)."""
    return files.cues("rights/consent.tsv", ("missing", "reuse", "use", "appeal", "whole", "work"))


def _constructions(ctx: Context) -> Iterator[Finding]:
    cues: CueSet = ctx.data(FAMILY.name)
    text = ctx.norm.text
    if not cues["use"].search(text):
        return

    def about_people(m: re.Match[str], _s: int, _e: int) -> bool:
        return not _forbidden(text, m) and not _NOT_PEOPLE.search(
            text, max(0, m.start() - 20), m.end()
        )

    yield from cue_findings(ctx, cues["missing"], NO_CONSENT, keep=about_people)
    granted = _GRANTED.search(text) is not None
    yield from cue_findings(
        ctx, cues["reuse"], REPRINT, keep=lambda m, _s, _e: not granted and not _forbidden(text, m)
    )
    # A person shown in an image, the public asked who it is: not for a missing person.
    if _IMAGE.search(text) and not _MISSING_PERSON.search(text):
        yield from cue_findings(ctx, cues["appeal"], NO_CONSENT)
    # A whole work copied, when the post names someone else's work and not the city's own.
    if cues["work"].search(text) and not _OWN_PUBLICATION.search(text) and not granted:
        yield from cue_findings(
            ctx, cues["whole"], REPRINT, keep=lambda m, _s, _e: not _forbidden(text, m)
        )


_IMAGE = re.compile(r"カメラ|映って|写って|画像|写真|動画|映像|📷|📸")
_MISSING_PERSON = re.compile(r"行方不明|捜して|探して|迷子|保護して|身元")
_OWN_PUBLICATION = re.compile(r"広報|市報|議会だより|市の|本市|当館|当課|当センター|自作|手作り")


def _forbidden(text: str, m: re.Match[str]) -> bool:
    """「許可なく撮影することは禁止です」 is a rule, not a confession."""
    return _FORBIDS.search(text, m.end(), m.end() + 16) is not None


# Consent words about things other than a person's portrait or a work: 申請の確認, 工事の許可.
_NOT_PEOPLE = re.compile(
    r"(申請|工事|営業|建築|開発|道路|占用|届出|入金|振込|支払|予約|受付|在庫|安否|通行|使用料)"
    r"(の|は|を)?[^。\n]{0,6}$|確認(中|でき次第|され次第)|まだ確認して(い)?ない方|ご確認(?!は(後日|後ほど|あとで|これから|事後))"
)


# The photo of someone the city serves (相談者, 申請者, 患者 …): their portrait (7(1)ク) and,
# since it shows who used the service, personal information learned at work (7(1)エ).
_CLIENT_PHOTO = re.compile(
    r"(?:相談者|申請者|来庁者|来所者|患者|入所者|入居者|利用者|受給者|被保護者|被災者|相談に来た(?:方|人))"
    r"(?:の(?:方|かた))?(?:さん)?の(?:写真|顔写真|顔|動画|映像)"
)


# The post shares the photo (rather than asking for one on an application form).
_SHARING = re.compile(r"シェア|載せ|掲載|投稿|アップ|公開し|紹介し|貼っ|共有し|撮った|撮りました")
_FORM = re.compile(r"添付|提出|持参|ご用意|貼付|必要です|お持ち")


def _client_photos(ctx: Context) -> Iterator[Finding]:
    text = ctx.norm.text
    if not _CLIENT_PHOTO.search(text):
        return

    def shared(m: re.Match[str], s: int, e: int) -> bool:
        return (
            _SHARING.search(text, m.end(), e) is not None
            and _FORM.search(text, s, e) is None
            and not _forbidden(text, m)
        )

    for clause in (CLAUSE, "7(1)エ"):
        yield from cue_findings(ctx, _CLIENT_PHOTO, NO_CONSENT, keep=shared, clause=clause)


def scan(ctx: Context) -> Iterator[Finding]:
    """Consent phrasing and reuse constructions (the phrase file covers the rest)."""
    yield from _constructions(ctx)
    yield from _client_photos(ctx)
    text = ctx.norm.text
    if "許" not in text and "了" not in text and "同意" not in text and "承" not in text:
        return
    yield from cue_findings(
        ctx, _NO_CONSENT, NO_CONSENT, keep=lambda m, _s, _e: not _forbidden(text, m)
    )


FAMILY = Family(
    name="rights",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    load=load,
    scan=scan,
)
