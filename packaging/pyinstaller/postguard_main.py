"""The entry point of the self-contained build (postguard.spec): `postguard …` as the pip-installed
script runs it. A frozen program has no `python -m`, so the one module the companion starts as a child
(`sys.executable -m companion.packcompile`, companion/packcompile.py) is dispatched here."""

import sys

if __name__ == "__main__":
    if sys.argv[1:3] == ["-m", "companion.packcompile"]:
        from companion.packcompile import main as compile_main

        sys.exit(compile_main(sys.argv[3:]))
    from companion.cli import main

    sys.exit(main())
