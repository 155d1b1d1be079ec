"""Word-level diff of two versions of a provision's text (pure, no database)."""

import difflib
import re

# Words, runs of whitespace and single punctuation marks: joining the tokens gives the
# text back, so the chunks of a diff reassemble both versions exactly.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


def tokens(text):
    return _TOKEN.findall(text or "")


def word_diff(old_text, new_text):
    """[(op, text)] turning `old_text` into `new_text`; op is equal, insert or delete.

    Joining the equal and delete chunks gives the old text, equal and insert the new
    one. Adjacent chunks never share an op; a replacement is a delete then an insert.
    """
    old, new = tokens(old_text), tokens(new_text)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    chunks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(chunks, EQUAL, old[i1:i2])
            continue
        if tag in ("delete", "replace"):
            _append(chunks, DELETE, old[i1:i2])
        if tag in ("insert", "replace"):
            _append(chunks, INSERT, new[j1:j2])
    return chunks


def _append(chunks, op, parts):
    text = "".join(parts)
    if not text:
        return
    if chunks and chunks[-1][0] == op:
        chunks[-1] = (op, chunks[-1][1] + text)
    else:
        chunks.append((op, text))
