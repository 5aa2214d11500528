#!/usr/bin/python3
"""Proves scenarios/schema/scenario.schema.json and the C++ loader agree.

Usage: scenario_schema_agreement.py PATH/TO/graphfake

For every file of client-tests/scenario-cases/ it asks both the loader
(`graphfake --check FILE`: exit 0 valid, 1 invalid, errors on stderr as
"file: /pointer: reason") and the schema (jsonschema's Draft202012Validator):

  valid/*.json                 both accept;
  invalid/*.json               both reject, and at the same place: the
                               loader's first error pointer and the pointer of
                               the schema's best_match error must be equal, or
                               one must be a prefix of the other, token-wise
                               (the schema reports an unknown property or a
                               missing one on the object, the loader on the
                               property itself);
  invalid-loader-only/*.json   the loader rejects, the schema accepts: the
                               checks JSON Schema cannot express (a known gap,
                               kept honest: if the schema learns to catch one,
                               move the file to invalid/);
  scenarios/*.json             (the shipped library) both accept.

Prints one line per file and finally "N passed, M failed"; exits 1 on any
failure. Only the standard library and python3-jsonschema (Debian, >= 4.0).
"""

import json
import pathlib
import subprocess
import sys

import jsonschema
from jsonschema.exceptions import best_match

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA_PATH = ROOT / "scenarios" / "schema" / "scenario.schema.json"
CASES = HERE / "scenario-cases"
LIBRARY = ROOT / "scenarios"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def escape_token(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_tokens(pointer):
    """'/a/b' -> ['a', 'b']; the loader writes the root as '/'."""
    if pointer in ("", "/"):
        return []
    return pointer[1:].split("/")


def show(tokens):
    return "/" + "/".join(tokens) if tokens else "(root)"


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


class Verdict:
    def __init__(self, valid, tokens=None, reason=""):
        self.valid = valid
        self.tokens = tokens or []
        self.reason = reason


def loader_verdict(binary, path):
    shown = str(path.relative_to(ROOT))
    try:
        run = subprocess.run([binary, "--check", shown], cwd=ROOT, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RuntimeError(f"cannot run {binary} --check: {error}") from error
    if run.returncode == 0:
        return Verdict(True)
    if run.returncode != 1:
        raise RuntimeError(f"--check exited {run.returncode}: {run.stderr.strip()}")
    first = run.stderr.splitlines()[0] if run.stderr else ""
    prefix = shown + ": "
    if not first.startswith(prefix) or ": " not in first[len(prefix):]:
        raise RuntimeError(f"--check exited 1 with an error not shaped \"file: /pointer: reason\": {first!r}")
    pointer, _, reason = first[len(prefix):].partition(": ")
    if not pointer.startswith("/"):
        raise RuntimeError(f"--check error pointer {pointer!r} is not a JSON pointer: {first!r}")
    return Verdict(False, pointer_tokens(pointer), reason)


def schema_verdict(validator, path):
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as error:
        return Verdict(False, [], f"not valid JSON: {error}")
    error = best_match(validator.iter_errors(document))
    if error is None:
        return Verdict(True)
    return Verdict(False, [escape_token(token) for token in error.absolute_path], error.message)


def agree_on_place(loader, schema):
    shorter, longer = sorted((loader.tokens, schema.tokens), key=len)
    return longer[: len(shorter)] == shorter


def main(argv):
    if len(argv) != 2:
        print("usage: scenario_schema_agreement.py PATH/TO/graphfake", file=sys.stderr)
        return 2
    binary = str(pathlib.Path(argv[1]).resolve())
    passed = 0
    failed = 0

    def outcome(ok, label, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {label}: {detail}")

    try:
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        if schema.get("$schema") != DRAFT_2020_12:
            raise jsonschema.SchemaError(f"$schema is {schema.get('$schema')!r}, expected {DRAFT_2020_12}")
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        outcome(False, SCHEMA_PATH.relative_to(ROOT), f"not a valid draft 2020-12 schema: {error}")
        print(f"{passed} passed, {failed} failed")
        return 1
    outcome(True, SCHEMA_PATH.relative_to(ROOT), "a valid draft 2020-12 schema")
    validator = jsonschema.Draft202012Validator(schema)

    groups = [
        ("valid", sorted((CASES / "valid").glob("*.json"))),
        ("invalid", sorted((CASES / "invalid").glob("*.json"))),
        ("invalid-loader-only", sorted((CASES / "invalid-loader-only").glob("*.json"))),
        ("library", sorted(LIBRARY.glob("*.json"))),
    ]
    for group, files in groups:
        if not files and group != "library":
            outcome(False, CASES / group, "no *.json files: the corpus is missing")
        if not files and group == "library":
            print(f"note: no scenario library files in {LIBRARY.relative_to(ROOT)}/ yet")
        for path in files:
            label = path.relative_to(ROOT)
            try:
                loader = loader_verdict(binary, path)
            except RuntimeError as error:
                outcome(False, label, str(error))
                continue
            schema_says = schema_verdict(validator, path)
            said = (f"loader {'accepts' if loader.valid else 'rejects at ' + show(loader.tokens)}, "
                    f"schema {'accepts' if schema_says.valid else 'rejects at ' + show(schema_says.tokens)}")
            why = "".join(
                f"\n    {who}: {show(v.tokens)}: {v.reason}"
                for who, v in (("loader", loader), ("schema", schema_says)) if not v.valid)
            if group in ("valid", "library"):
                outcome(loader.valid and schema_says.valid, label, said + ("" if loader.valid and schema_says.valid else why))
            elif group == "invalid":
                if loader.valid or schema_says.valid:
                    outcome(False, label, said + " (both should reject)" + why)
                elif not agree_on_place(loader, schema_says):
                    outcome(False, label, said + " (the places disagree: neither pointer is a prefix of the other)" + why)
                else:
                    outcome(True, label, said)
            else:
                ok = not loader.valid and schema_says.valid
                note = "" if ok else (" (expected the loader to reject and the schema to accept;"
                                      " if the schema now catches this, move the file to invalid/)")
                outcome(ok, label, said + note + ("" if ok else why))

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
