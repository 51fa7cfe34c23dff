"""Toneless pinyin of Chinese names for the page's search, offline (pypinyin), fast at scale.

``pinyin(zh)`` is ``"".join(pypinyin.lazy_pinyin(zh))``, the same letters, but remembers what it
has worked out: the words of each name (pypinyin's forward maximum matching depends only on the
rest of the name, so each remainder's words are remembered) and each word's pinyin. At 150,000
organizations plain ``lazy_pinyin`` took most of a minute, nearly all of it on words met before.
"""

from __future__ import annotations

from itertools import groupby

_WORDS: dict[str, list[str]] = {}  # a run of Chinese characters -> its words, as pypinyin cuts it
_PINYIN: dict[str, str] = {}  # a word or name -> its pinyin
_HAN: dict[str, bool] = {}  # a character -> whether pypinyin counts it as Chinese
_STATE: dict = {}


def _setup() -> None:
    from pypinyin.constants import RE_HANS
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin
    from pypinyin.seg import mmseg

    cutter = mmseg.seg
    _STATE["exact"] = hasattr(cutter, "_prefix_set") and hasattr(cutter, "cut")
    _STATE.update(hans=RE_HANS, cutter=cutter, lazy=Pinyin(DefaultConverter()).lazy_pinyin)


def _is_han(char: str) -> bool:
    found = _HAN.get(char)
    if found is None:
        found = _HAN[char] = _STATE["hans"].match(char) is not None
    return found


def _words(run: str) -> list[str]:
    """``mmseg.seg.cut(run)``: its first word, then the words of the rest (remembered).

    The cut's only state is the text left, so the words after the first are the rest's own;
    except when the whole text is the start of a phrase, which the cut then splits in characters
    or keeps whole (``Seg.cut``'s last branch): such a run is cut as a whole.
    """
    found = _WORDS.get(run)
    if found is None and run in _STATE["cutter"]._prefix_set:
        found = _WORDS[run] = list(_STATE["cutter"].cut(run))
    elif found is None:
        first = next(iter(_STATE["cutter"].cut(run)))
        rest = run[len(first) :]
        found = _WORDS[run] = [first, *(_words(rest) if rest else [])]
    return found


def _word(word: str) -> str:
    found = _PINYIN.get(word)
    if found is None:
        found = _PINYIN[word] = "".join(_STATE["lazy"]([word]))
    return found


def pinyin(zh: str) -> str:
    """Toneless pinyin without spaces: "beijingshikexuejishuxiehui" for 北京市科学技术协会."""
    if not _STATE:
        _setup()
    if not _STATE["exact"]:  # a pypinyin whose cutting this cannot follow: ask it each time
        return "".join(_STATE["lazy"](zh))
    out = []
    # the runs of Chinese and other characters, as pypinyin's simple_seg splits them
    for han, chars in groupby(zh, _is_han):
        run = "".join(chars)
        if han:
            out.extend(_word(w) for w in _words(run))
        elif run.isascii():  # no pinyin: pypinyin keeps it as it is ("48760", "CAST")
            out.append(run)
        else:
            out.append(_word(run))
    return "".join(out)
