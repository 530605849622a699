"""The command line and the verdict shared by the golden-fixture generators."""
import argparse
import sys


def verdict(problems):
    """Prints the self-check's verdict; True when there are no problems."""
    if problems:
        print(f'{len(problems)} PROBLEMS:')
        for p in problems[:50]:
            print('  ' + p)
        return False
    print('check: all OK')
    return True


def main(doc, default_out, generate, check):
    """Generates into --out (unless --check-only), then self-checks it (unless --no-check)."""
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--out', default=default_out)
    ap.add_argument('--no-check', action='store_true', help='skip the self-check after generating')
    ap.add_argument('--check-only', action='store_true', help='only check an existing output folder')
    args = ap.parse_args()
    if not args.check_only:
        generate(args.out)
    if not args.no_check:
        sys.exit(0 if check(args.out) else 1)
