import pytest

from sekisho.extract.problems import ProblemCode
from sekisho.extract.textcodec import Decoded, Undecodable, decode_text

TEXT = "介護保険 被保険者一覧\n氏名：山田 太郎（ヤマダ タロウ）様、電話は０３（１２３４）５６７８です。\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp932"), "cp932"),
        (TEXT.encode("shift_jis"), "cp932"),
        (TEXT.encode("euc_jp"), "euc_jp"),
        (TEXT.encode("iso2022_jp"), "iso-2022-jp"),
        (TEXT.encode("utf-16"), "utf-16"),  # Excel's "Unicode text" has a BOM
    ],
)
def test_each_japanese_encoding_is_read_from_the_bytes(encoded: bytes, encoding: str) -> None:
    result = decode_text(encoded)
    assert isinstance(result, Decoded)
    assert result.encoding == encoding
    assert result.text == TEXT


def test_cp932_only_characters_are_kept() -> None:
    text = "①髙橋様 ㈱テスト 﨑"  # NEC and IBM extensions Shift_JIS lacks
    result = decode_text(text.encode("cp932"))
    assert isinstance(result, Decoded)
    assert result.text == text


def test_short_cp932_text_that_euc_jp_also_decodes() -> None:
    text = "鈴木,サトウ"
    result = decode_text(text.encode("cp932"))
    assert isinstance(result, Decoded)
    assert result.text == text


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00\x01\x02PK garbage\x00\xff" * 20, ProblemCode.BINARY),
        (bytes(range(1, 9)) * 50, ProblemCode.BINARY),
        ("café résumé naïve".encode("latin-1"), ProblemCode.UNKNOWN_ENCODING),
        (b"\x80\x81\xfd\xfe\xff" * 10, ProblemCode.UNKNOWN_ENCODING),
    ],
)
def test_undecodable_bytes_are_reported(data: bytes, code: ProblemCode) -> None:
    result = decode_text(data)
    assert isinstance(result, Undecodable)
    assert result.code == code
