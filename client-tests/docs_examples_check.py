#!/usr/bin/env python3
"""Every JSON example in docs/scenarios.md loads.

Examples are whole files, rules, or fragments (a "match", "timeline" or
"faults" property, a phase per line, a bare timeline array); each fragment is wrapped
into the smallest file that holds it and checked with `graphfake --check`.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

DOC = pathlib.Path("docs/scenarios.md")


def files_for(block: str):
    text = block.strip()
    if text.startswith('"timeline"') or text.startswith('"faults"') or text.startswith('"match"'):
        yield json.loads("{" + text + "}")
        return
    if text.startswith("["):
        yield {"timeline": json.loads(text)}
        return
    lines = [line for line in text.splitlines() if line.strip()]
    if all(line.lstrip().startswith('{ "status"') for line in lines):
        for line in lines:
            yield {"timeline": [json.loads(line)]}
        return
    yield json.loads(text)


def as_file(fragment):
    return fragment if "rules" in fragment else {"rules": [fragment]}


def main(binary: str) -> int:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(), re.S)
    if not blocks:
        print(f"{DOC}: no JSON examples found")
        return 1
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as directory:
        for index, block in enumerate(blocks):
            try:
                fragments = list(files_for(block))
            except json.JSONDecodeError as error:
                print(f"{DOC}: example {index + 1} is not JSON: {error}\n{block}")
                failures += 1
                continue
            for part, fragment in enumerate(fragments):
                path = pathlib.Path(directory) / f"example-{index + 1}-{part + 1}.json"
                path.write_text(json.dumps(as_file(fragment)))
                result = subprocess.run([binary, "--check", str(path)], capture_output=True, text=True)
                checked += 1
                if result.returncode != 0:
                    failures += 1
                    print(f"{DOC}: example {index + 1} does not load:\n{block}{result.stdout}{result.stderr}")
    print(f"{checked} examples checked, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
