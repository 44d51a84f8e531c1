#!/usr/bin/env python3
"""Checks that every Swift code block of the user-facing DocC articles is compiled code.

Each ```swift block in Sources/GenreClassifier/GenreClassifier.docc/*.md must appear in
Examples/Package.swift or in a Swift file under Examples/Sources (which CI builds): its `import`
lines anywhere in that file, its other lines as one contiguous run of that file's lines
(compared without indentation; blank lines ignored). Exit status 1 names each block that does
not. Run from the repository root: `python3 Scripts/check_doc_snippets.py`.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "Sources/GenreClassifier/GenreClassifier.docc").glob("*.md"))
SOURCES = [ROOT / "Examples/Package.swift"] + sorted((ROOT / "Examples/Sources").rglob("*.swift"))


def lines_of(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def contains_run(haystack, needle):
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def main():
    sources = {path: lines_of(path.read_text()) for path in SOURCES}
    blocks = failures = 0
    for article in ARTICLES:
        text = article.read_text()
        for match in re.finditer(r"^```swift\n(.*?)^```", text, re.S | re.M):
            blocks += 1
            lines = lines_of(match.group(1))
            imports = [l for l in lines if l.startswith("import ")]
            body = [l for l in lines if not l.startswith("import ")]
            found = [
                path for path, src in sources.items()
                if all(i in src for i in imports) and contains_run(src, body)
            ]
            if not found:
                failures += 1
                line = text[:match.start()].count("\n") + 1
                print(f"{article.relative_to(ROOT)}:{line}: Swift block not found in Examples/ "
                      f"(first line: {body[0] if body else imports[0]!r})")
    print(f"{blocks - failures} of {blocks} article code blocks found in compiled Examples/ code")
    if blocks == 0 or failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
