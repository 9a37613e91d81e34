"""Prints one line totalling pytest's JUnit XML reports: "Total: N passed, N failed, N skipped"."""
import sys
import xml.etree.ElementTree as ET  # noqa: S405 — our own pytest's reports, not untrusted input

passed = failed = skipped = 0
for path in sys.argv[1:]:
    for suite in ET.parse(path).getroot().iter("testsuite"):  # noqa: S314
        tests, skips = int(suite.get("tests")), int(suite.get("skipped"))
        failures = int(suite.get("failures")) + int(suite.get("errors"))
        passed += tests - skips - failures
        failed += failures
        skipped += skips
print(f"Total: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not passed else 0)
