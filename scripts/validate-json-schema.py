#!/usr/bin/env python3
"""Validate YAML files against a JSON Schema (Draft 2020-12), as an editor would.

Usage: validate-json-schema.py SCHEMA FILE...

Prints one JSON object per line: {"file": ..., "valid": true|false, "errors": [...]}.
Exits 0 when it ran (whatever the files' validity), 2 on bad usage or an invalid schema,
3 when python's jsonschema or PyYAML is missing (pip install jsonschema pyyaml).
YAML is read with PyYAML (YAML 1.1), so an unquoted `off` arrives as false, as it does
in many editors and tools.
"""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:
    print(f"missing Python package: {error.name}; install with: pip install jsonschema pyyaml", file=sys.stderr)
    sys.exit(3)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        print(f"{argv[0]}: not a valid Draft 2020-12 schema: {error.message}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
            errors = [
                f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
                for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
            ]
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            errors = [f"not YAML: {error}"]
        print(json.dumps({"file": path, "valid": not errors, "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
