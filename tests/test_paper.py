"""Page breaks of a form, as estimated before LibreOffice or Excel prints it (points of sheet height)."""

from __future__ import annotations

from qe_workbook.forms.paper import block_breaks, fewest_pages, page_height

PAGE = page_height(100)


def test_blocks_that_fit_start_a_page_only_when_the_page_is_full() -> None:
    blocks = [(10, PAGE * 0.4), (20, PAGE * 0.4), (30, PAGE * 0.4)]
    assert block_breaks(blocks, top=0, repeated=20, scale=100) == (2, [30])


def test_a_block_taller_than_a_page_counts_every_page_it_runs_onto() -> None:
    blocks = [(10, PAGE * 0.5), (20, PAGE * 1.2)]
    # the tall block starts page 2 and runs onto page 3
    assert block_breaks(blocks, top=0, repeated=20, scale=100) == (3, [20])


def test_a_tall_block_that_may_flow_starts_under_the_block_above() -> None:
    blocks = [(10, PAGE * 0.5), (20, PAGE * 1.2)]
    assert block_breaks(blocks, top=0, repeated=20, scale=100, flow=True) == (2, [])
    # with less than a quarter of the page free, it still starts a new page
    assert block_breaks([(10, PAGE * 0.8), (20, PAGE * 1.2)], top=0, repeated=20, scale=100, flow=True)[1] == [20]


def test_the_scale_is_lowered_only_where_it_saves_a_page() -> None:
    fits_at_90 = [(10, page_height(90) * 0.5), (20, page_height(90) * 0.5 - 1)]
    assert fewest_pages(fits_at_90, top=0, repeated=0, scale=100) == (90, [])
    assert fewest_pages([(10, PAGE * 0.3)], top=0, repeated=0, scale=100) == (100, [])
