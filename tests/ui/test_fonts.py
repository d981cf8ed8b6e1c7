from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.fonts import BUNDLED_CJK_FAMILY, has_family, load_bundled_fonts, missing_glyphs

RARE = "信用监管工作台堃喆昇玥镕赟"


def test_bundled_font_draws_every_character_we_show(qapp) -> None:
    assert BUNDLED_CJK_FAMILY in load_bundled_fonts()
    assert missing_glyphs(BUNDLED_CJK_FAMILY, RARE) == []


def test_missing_glyphs_reports_what_a_latin_font_lacks(qapp) -> None:
    load_bundled_fonts()
    # scripts/setup.sh installs fonts-dejavu-core: a Latin-only font to compare against.
    assert has_family("DejaVu Sans")
    assert missing_glyphs("DejaVu Sans", "Ab信用 c") == ["信", "用"]


def test_unknown_family_lacks_everything(qapp) -> None:
    assert missing_glyphs("No Such Family 123", "ab 信") == ["a", "b", "信"]


def test_characters_beyond_the_bmp_are_checked_by_code_point(qapp) -> None:
    load_bundled_fonts()
    # U+20000 (𠀀, CJK Extension B) is not in WenQuanYi Micro Hei; passing the str instead of
    # ord() would test a surrogate and answer wrongly.
    assert missing_glyphs(BUNDLED_CJK_FAMILY, "信𠀀") == ["𠀀"]


def test_application_font_falls_back_to_the_bundled_family(app: QApplication) -> None:
    families = app.font().families()
    assert families[-1] == BUNDLED_CJK_FAMILY
    assert len(families) >= 2
