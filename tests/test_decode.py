"""decode_page: page bytes -> text in the order browsers use (BOM, HTTP charset, <meta>,
detection), with mislabelled pages repaired. Every page is a real sentence or paragraph
encoded in the charset under test, inside small but realistic markup."""

import codecs
import dataclasses
import random

import pytest

from scraper.cleaning import Decoded, decode_page

# A short news paragraph per language. Detection gets the whole paragraph, which is fair:
# an article is longer. Fragments are too ambiguous for any detector: 12 to 36 characters
# of Russian in KOI8-R read as windows-1255, windows-1256 or windows-874 (a few bytes fit
# many 8-bit charsets), and a French word or two with one "é" reads the same in
# windows-1252, windows-1250 and ISO-8859-2. One sentence is enough for every charset here
# (test_one_sentence_is_enough_to_detect).
TEXTS = {
    "zh-hans": "上海特舟实业有限公司成立于二零零五年，主要从事船舶配件的研发、生产和销售。"
    "公司总部位于上海市浦东新区，在江苏和浙江设有两家工厂，员工超过三百人。"
    "去年，公司的出口额同比增长了百分之十五，产品远销欧洲、北美和东南亚。",
    "zh-hant": "臺北市政府今天宣布，明年起將擴大公共自行車系統的服務範圍，並在各區增設租借站點。"
    "市長表示，這項計畫預計投入新臺幣五億元，希望減少市區的交通壅塞與空氣汙染。"
    "不少市民對此表示歡迎，但也有人擔心停車空間不足。",
    "ja": "東京都は来年度から、都内の公立小学校で英語の授業時間を増やす方針を明らかにしました。"
    "教育委員会によると、外国人講師の数も現在の二倍に増やす予定です。"
    "保護者からは期待の声が上がる一方、教員の負担が増えることを心配する意見も出ています。",
    "ko": "서울시는 내년부터 대중교통 요금을 인상하기로 결정했다고 오늘 발표했습니다. "
    "시 관계자는 연료비와 인건비가 크게 올라 요금 인상이 불가피하다고 설명했습니다. "
    "시민단체들은 서민의 부담이 늘어날 것이라며 반대 입장을 밝혔습니다.",
    "ru": "Правительство Москвы объявило о строительстве новой линии метро, которая соединит "
    "северные и южные районы города. По словам мэра, первые станции откроются уже через три "
    "года. Жители окрестных домов выразили обеспокоенность шумом и пылью во время "
    "строительных работ.",
    "ru-spb": "В Санкт-Петербурге открылась выставка современного искусства, на которой "
    "представлены работы более ста художников из двенадцати стран. Организаторы ожидают, что "
    "за месяц её посетят около пятидесяти тысяч человек.",
    "pl": "Rada miasta zdecydowała, że nowy most na Wiśle zostanie otwarty w przyszłym roku, "
    "mimo opóźnień spowodowanych długą zimą. Mieszkańcy cieszą się, że dojazd do centrum "
    "będzie wreszcie krótszy, a korki na starym moście znikną.",
    "cs": "Vláda včera schválila nový zákon o ochraně životního prostředí, který má snížit "
    "znečištění ovzduší ve velkých městech. Podle ministra začne platit od příštího roku "
    "a obce dostanou na jeho provádění zvláštní příspěvek.",
    # windows-1252 beyond Latin-1: the apostrophe and the euro sign are in 0x80-0x9F
    "fr": "Le café du coin a rouvert ses portes après trois mois de travaux. « C’est très "
    "réussi », déclare un habitué, qui apprécie la nouvelle terrasse et l’expresso à 1,50 €.",
}

# (label as pages write it, language, the Python codec decode_page reports: the WHATWG
# superset a browser decodes that label with)
CHARSETS = [
    ("gbk", "zh-hans", "gb18030"),
    ("big5", "zh-hant", "big5hkscs"),
    ("shift_jis", "ja", "cp932"),
    ("euc-kr", "ko", "cp949"),
    ("windows-1251", "ru", "cp1251"),
    ("koi8-r", "ru-spb", "koi8-r"),
    ("iso-8859-2", "pl", "iso8859-2"),
    ("iso-8859-2", "cs", "iso8859-2"),
]
IDS = [f"{label}-{lang}" for label, lang, _ in CHARSETS]


def page(text: str, meta: str | None = None, *, http_equiv: bool = False) -> str:
    """A small news page: head (with the charset declaration if any), nav, article, footer."""
    if meta and http_equiv:
        declaration = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">'
    elif meta:
        declaration = f'<meta charset="{meta}">'
    else:
        declaration = ""
    return f"""<!DOCTYPE html>
<html><head>
{declaration}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News</title>
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{section: "city"}});</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/city">City</a> | <a href="/world">World</a></nav>
<article>
<h1>2024-05-14</h1>
<p>{text}</p>
</article>
<footer><a href="/about">About</a> &copy; 2024</footer>
</body></html>
"""


def header(label: str) -> str:
    return f"text/html; charset={label}"


@pytest.mark.parametrize("in_meta", [False, True], ids=["no-meta", "meta"])
@pytest.mark.parametrize("in_header", [False, True], ids=["no-header", "header"])
@pytest.mark.parametrize("label,lang,codec", CHARSETS, ids=IDS)
def test_each_charset_declared_or_detected(label, lang, codec, in_header, in_meta):
    data = page(TEXTS[lang], label if in_meta else None).encode(label)
    got = decode_page(data, header(label) if in_header else None)
    assert TEXTS[lang] in got.text
    assert got.encoding == codec
    assert got.how == ("http" if in_header else "meta" if in_meta else "detected")


@pytest.mark.parametrize("label,lang,codec", CHARSETS, ids=IDS)
def test_one_sentence_is_enough_to_detect(label, lang, codec):
    sentence = TEXTS[lang].split("。")[0] if "。" in TEXTS[lang] else TEXTS[lang].split(". ")[0]
    got = decode_page(page(sentence).encode(label))
    assert sentence in got.text
    assert (got.encoding, got.how) == (codec, "detected")


# Latin-script pages without a declaration: charset-normalizer alone ties windows-1252 with
# windows-1250 here and picks the latter (Portuguese "São" as "Săo", Turkish "ğ" as "đ").
LATIN = {
    "pt": (
        "cp1252",
        "A prefeitura de São Paulo anunciou ontem a construção de uma nova linha de ônibus. "
        "As obras começarão no próximo mês e devem durar três anos, segundo a secretária.",
    ),
    "es": (
        "cp1252",
        "El ayuntamiento de Málaga aprobó ayer la construcción de un nuevo puente sobre el "
        "río. ¿Cuándo empezarán las obras? Según el alcalde, el próximo año.",
    ),
    "de": (
        "cp1252",
        "Der Bürgermeister von München hat gestern angekündigt, dass die neue Brücke über die "
        "Isar im nächsten Jahr eröffnet wird. Die Anwohner begrüßen die Entscheidung.",
    ),
    "hu": (
        "iso-8859-2",
        "A fővárosi közgyűlés tegnap elfogadta az új híd építésére vonatkozó tervet. A "
        "munkálatok jövőre kezdődnek, és várhatóan két évig tartanak.",
    ),
    "tr": (
        "cp1254",
        "İstanbul Büyükşehir Belediyesi, Boğaz üzerine yeni bir köprü yapılacağını açıkladı. "
        "Çalışmaların gelecek yıl başlaması ve iki yıl sürmesi bekleniyor.",
    ),
}


@pytest.mark.parametrize("lang", LATIN)
def test_latin_script_pages_are_detected(lang):
    charset, text = LATIN[lang]
    got = decode_page(page(text).encode(charset))
    assert text in got.text
    assert got.encoding == codecs.lookup(charset).name
    assert got.how == "detected"


def test_the_gbk_page_seen_in_the_wild():
    """It came out as ÉĎşŁĚŘÖŰĘµŇµÓĐĎŢą«Ëľ (GBK read as windows-1250)."""
    data = page("上海特舟实业有限公司", "gbk").encode("gbk")
    got = decode_page(data)
    assert "<p>上海特舟实业有限公司</p>" in got.text
    assert (got.encoding, got.how) == ("gb18030", "meta")
    assert "ÉĎşŁ" not in got.text


def test_meta_http_equiv_is_read():
    data = page(TEXTS["zh-hans"], "gb2312", http_equiv=True).encode("gbk")
    got = decode_page(data)
    assert TEXTS["zh-hans"] in got.text
    assert (got.encoding, got.how) == ("gb18030", "meta")


@pytest.mark.parametrize(
    "label,text,codec",
    [
        # 镕 is in GBK, not in GB2312
        ("gb2312", "朱镕基总理昨天在北京会见了来访的外国代表团。", "gb18030"),
        # ① is an NEC extension: windows-31j, not JIS Shift_JIS
        ("shift_jis", "第①回東京国際会議が昨日開かれました。", "cp932"),
        # 똠 is a UHC syllable: windows-949, not KS X 1001 EUC-KR
        ("euc-kr", "똠양꿍은 태국의 대표적인 음식입니다.", "cp949"),
        # € at A3E1 is Microsoft's Big5 (cp950), not in Big5-HKSCS
        ("big5", "這件外套的價格是一百€，比去年貴。", "cp950"),
        # latin-1 and ascii labels mean windows-1252: € and – are in 0x80-0x9F
        ("iso-8859-1", "Le prix : 5 € – « très cher », dit-il.", "cp1252"),
        ("us-ascii", "Le prix : 5 € – « très cher », dit-il.", "cp1252"),
    ],
)
def test_labels_mean_what_browsers_decode(label, text, codec):
    got = decode_page(page(text, label).encode(codec))
    assert text in got.text
    assert (got.encoding, got.how) == (codec, "meta")


@pytest.mark.parametrize("lang", ["fr", "ru", "zh-hans", "pl"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_utf8_labelled_latin1_is_read_as_utf8(lang, where):
    text = TEXTS[lang]
    data = page(text, "iso-8859-1" if where == "meta" else None).encode("utf-8")
    got = decode_page(data, header("iso-8859-1") if where == "header" else None)
    assert text in got.text
    assert (got.encoding, got.how) == ("utf-8", "repaired")


@pytest.mark.parametrize("where", ["header", "meta"])
def test_latin1_labelled_utf8_is_read_as_cp1252(where):
    text = TEXTS["fr"]
    data = page(text, "utf-8" if where == "meta" else None).encode("cp1252")
    got = decode_page(data, header("utf-8") if where == "header" else None)
    assert text in got.text
    assert (got.encoding, got.how) == ("cp1252", "repaired")


@pytest.mark.parametrize(
    "lang,charset,http,meta,codec,how",
    [
        # header wrong (does not decode), meta right
        ("zh-hans", "gbk", "utf-8", "gbk", "gb18030", "repaired"),
        # header right, meta wrong: the header is taken first and reads cleanly
        ("zh-hans", "gbk", "gbk", "utf-8", "gb18030", "http"),
        ("ru", "cp1251", "windows-1251", "koi8-r", "cp1251", "http"),
        # header gives mojibake (Russian in the other Cyrillic charset), meta right
        ("ru", "cp1251", "koi8-r", "windows-1251", "cp1251", "repaired"),
        # header says Latin-1, the bytes are UTF-8 as the meta says
        ("fr", "utf-8", "iso-8859-1", "utf-8", "utf-8", "repaired"),
        # both read the page cleanly (é is E9 in both): the header wins, as in browsers
        ("fr-plain", "cp1252", "windows-1252", "iso-8859-15", "cp1252", "http"),
    ],
)
def test_header_and_meta_disagree(lang, charset, http, meta, codec, how):
    text = "Le café a rouvert après trois mois de travaux." if lang == "fr-plain" else TEXTS[lang]
    got = decode_page(page(text, meta).encode(charset), header(http))
    assert text in got.text
    assert (got.encoding, got.how) == (codec, how)


@pytest.mark.parametrize(
    "lang,charset,label,codec",
    [
        ("ru-spb", "koi8-r", "windows-1251", "koi8-r"),
        ("ru", "cp1251", "koi8-r", "cp1251"),
        # windows-1250 text declared ISO-8859-2 (ś ź ą where ISO has controls and ¶ ± Ľ)
        ("pl", "cp1250", "iso-8859-2", "cp1250"),
        ("zh-hans", "gbk", "big5", "gb18030"),
        ("zh-hant", "big5", "gbk", "big5hkscs"),
        ("ko", "euc-kr", "gbk", "cp949"),
        ("zh-hans", "utf-8", "gbk", "utf-8"),
        ("ja", "utf-8", "shift_jis", "utf-8"),
    ],
)
def test_a_wrong_declaration_alone_is_repaired(lang, charset, label, codec):
    got = decode_page(page(TEXTS[lang]).encode(charset), header(label))
    assert TEXTS[lang] in got.text
    assert (got.encoding, got.how) == (codec, "repaired")


def test_utf8_bom_wins_over_the_header():
    data = b"\xef\xbb\xbf" + page(TEXTS["fr"]).encode("utf-8")
    got = decode_page(data, header("iso-8859-1"))
    assert TEXTS["fr"] in got.text
    assert not got.text.startswith("\ufeff")
    assert (got.encoding, got.how) == ("utf-8", "bom")


@pytest.mark.parametrize(
    "bom,codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")], ids=["le", "be"]
)
def test_utf16_bom(bom, codec):
    data = bom + page(TEXTS["ja"], "utf-16").encode(codec)
    got = decode_page(data, header("shift_jis"))
    assert TEXTS["ja"] in got.text
    assert got.text.startswith("<!DOCTYPE html>")
    assert (got.encoding, got.how) == (codec, "bom")


def test_utf16_without_bom_is_detected():
    got = decode_page(page(TEXTS["ko"]).encode("utf-16-le"))
    assert TEXTS["ko"] in got.text
    assert (got.encoding, got.how) == ("utf-16-le", "detected")


def test_meta_saying_utf16_means_utf8():
    """Browsers found the <meta> by reading the bytes as ASCII, so they cannot be UTF-16."""
    got = decode_page(page(TEXTS["ru"], "utf-16").encode("utf-8"))
    assert TEXTS["ru"] in got.text
    assert (got.encoding, got.how) == ("utf-8", "meta")


@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8"])
def test_utf8_with_a_stray_invalid_byte_stays_utf8(content_type):
    """A CMS that cut a string mid-character: browsers show one replacement character."""
    data = page(TEXTS["ru"] + " Конец\xa0").encode("utf-8").replace(b"\xc2\xa0", b"\xd0")
    got = decode_page(data, content_type)
    assert TEXTS["ru"] in got.text
    assert got.text.count("\ufffd") == 1
    assert (got.encoding, got.how) == ("utf-8", "http" if content_type else "detected")


@pytest.mark.parametrize(
    "content_type",
    [
        'text/html; charset="windows-1251"',
        "text/html;charset=WINDOWS-1251",
        "text/html; Charset=cp1251; foo=bar",
        "text/html; charset*=utf-8''windows-1251",
    ],
)
def test_content_type_forms(content_type):
    got = decode_page(page(TEXTS["ru"]).encode("cp1251"), content_type)
    assert (got.encoding, got.how) == ("cp1251", "http")


@pytest.mark.parametrize("content_type", [None, "text/html", "text/html; charset=no-such-thing"])
def test_no_usable_declaration_means_detection(content_type):
    data = page(TEXTS["ru"], "x-no-such-charset").encode("cp1251")
    got = decode_page(data, content_type)
    assert TEXTS["ru"] in got.text
    assert (got.encoding, got.how) == ("cp1251", "detected")


def test_ascii_page():
    got = decode_page(page("Plain English, nothing else.").encode("ascii"))
    assert (got.encoding, got.how) == ("ascii", "detected")


def test_iso_2022_jp_without_declaration():
    got = decode_page(page(TEXTS["ja"]).encode("iso2022_jp"))
    assert TEXTS["ja"] in got.text
    assert (got.encoding, got.how) == ("iso2022_jp", "detected")


def test_text_far_into_a_large_page_is_found():
    """Detection samples the page's non-ASCII text wherever it is, not a prefix."""
    script = "<script>" + "var x = [1, 2, 3]; // filler\n" * 70_000 + "</script>"
    data = page(TEXTS["ru"]).replace("</head>", script + "</head>").encode("cp1251")
    assert len(data) > 2_000_000
    got = decode_page(data)
    assert TEXTS["ru"] in got.text
    assert (got.encoding, got.how) == ("cp1251", "detected")


@pytest.mark.parametrize("seed", range(5))
def test_never_raises_on_bytes(seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.choice([1, 7, 300, 5000])))
    got = decode_page(
        data, rng.choice([None, "text/html; charset=gbk", "text/html; charset=utf-8"])
    )
    assert isinstance(got.text, str)


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00" * 50, b"<p>\xe4\xb8</p>", b"\x1b$B"]
)
def test_never_raises_on_odd_bytes(data):
    assert isinstance(decode_page(data, "text/html; charset=utf-8").text, str)
    assert isinstance(decode_page(data).text, str)


def test_decoded_is_frozen():
    got = decode_page(b"<p>hi</p>")
    assert got == Decoded("<p>hi</p>", "ascii", "detected")
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.text = "changed"  # type: ignore[misc]
