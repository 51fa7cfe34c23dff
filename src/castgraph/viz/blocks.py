"""The page's data blocks: the chart the page opens on, and one block per closed family.

The page opens on the headquarters (the root, its units and list columns); every other family
starts closed. Its members are moved out of the tree into a block of their own (``<script
id="bN">``), which the page reads, and inflates, only when the family is opened, so opening a
page of 150,000 organizations reads the headquarters and nothing else. A family's block holds its
members, each member that has members of its own pointing to its own block (``block``: N, with
``n``: how many). Blocks with the same members (a society group in every snapshot's tree) are
written once.
"""

from __future__ import annotations

import base64
import json
import zlib

DEFLATED = "application/x-castgraph-deflate-base64"
# a family's block: one segment of a single raw deflate stream, cut at full flushes, so that each
# block inflates on its own (with an empty last block added) and all of them at once in one stream
SEGMENT = "application/x-castgraph-deflate-segment-base64"
DEFLATE_OVER = 2_000_000  # characters of page data above which its large blocks are deflated
DEFLATE_BLOCK_OVER = 4_096  # a smaller block stays plain JSON: the page reads it at once
OPEN_KINDS = ("unit", "snapshot")  # besides the root, the families the page opens on


def split(tree: dict, blocks: dict[str, int]) -> None:
    """Move the members of each family closed on opening into ``blocks`` (JSON text -> number).

    ``tree`` is edited in place; numbers are given in the order the families are met (parents
    before their members' families, members in tree order), so the page is the same bytes for
    the same data.
    """
    stack: list[tuple[dict, bool]] = [(tree, True)]
    order: list[dict] = []  # closed families, outermost first
    while stack:
        node, is_root = stack.pop()
        children = node.get("children")
        if not children:
            continue
        if not is_root and node.get("kind") not in OPEN_KINDS:
            order.append(node)
        stack.extend((c, False) for c in reversed(children))
    # innermost first: a family's block is written after its members' blocks are split off
    for node in reversed(order):
        children = node.pop("children")
        text = encode(children)
        node["n"] = len(children)
        node["block"] = blocks.setdefault(text, len(blocks) + 1)


def encode(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def script_text(text: str, deflate: bool) -> str:
    """A block's text as it goes in its ``<script>``: deflated and base64, or escaped JSON."""
    if deflate:  # zlib at a fixed level: the same bytes for the same data
        return base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")
    # Inside <script> only "</" can end the element early; escape it (and U+2028/9 for old parsers).
    text = text.replace("</", "<\\/")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def script(block_id: str, text: str, deflate: bool) -> str:
    kind = DEFLATED if deflate else "application/json"
    return f'<script type="{kind}" id="{block_id}">{script_text(text, deflate)}</script>'


def family_scripts(blocks: dict[str, int], deflate: bool) -> str:
    """Every family's ``<script>``, in number order; small ones plain whatever ``deflate``.

    A deflated one is a segment of one raw deflate stream (zlib at a fixed level, a full flush
    after each block: no segment refers to another) with its text's length in UTF-16 units
    (``data-length``), so the page can inflate every block in one stream and cut the text apart:
    thousands of streams of one block each took the browser 2.6 s at 150,000 organizations.
    """
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    out = []
    for text, number in sorted(blocks.items(), key=lambda item: item[1]):
        if deflate and len(text) > DEFLATE_BLOCK_OVER:
            packed = packer.compress(text.encode("utf-8")) + packer.flush(zlib.Z_FULL_FLUSH)
            length = len(text.encode("utf-16-le")) // 2
            out.append(
                f'<script type="{SEGMENT}" id="b{number}" data-length="{length}">'
                f"{base64.b64encode(packed).decode('ascii')}</script>"
            )
        else:
            out.append(script(f"b{number}", text, False))
    return "\n".join(out)
