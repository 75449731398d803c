# Shared by scripts/run and scripts/test: make sure .venv exists with a usable Python (3.10+).
ensure_venv() {
  if [[ -x .venv/bin/python ]] && .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    return 0
  fi
  local py
  py=$(command -v python3 || true)
  if [[ -z "$py" ]] || ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "PostGuard needs Python 3.10 or newer (python3 on PATH)." >&2
    exit 2
  fi
  echo "Creating the Python environment in .venv ..."
  if ! "$py" -m venv .venv; then
    echo "Could not create a virtual environment. On Debian/Ubuntu: apt-get install python3-venv" >&2
    exit 2
  fi
  .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
}

# Decode simplemma's and wordfreq's word data once, into the environment (companion/engine/language/worddata.py):
# every companion start and every `postguard` command then reads it in a tenth of a second instead of
# decoding it for one and a half. A failure only means slower starts; it says why on stderr.
install_word_data() {
  .venv/bin/python -m companion.engine.language.worddata >/dev/null || true
}
