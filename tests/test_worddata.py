"""The decoded word data (companion/engine/language/worddata.py): the same words as the libraries give,
kept whole, and never a reason for a process to fail."""

import pytest
import simplemma
import wordfreq

from companion.engine.language import lemmas, worddata


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """worddata with its file in tmp_path and nothing loaded yet in this process."""
    path = tmp_path / "share" / "word-data.marshal"
    monkeypatch.setattr(worddata, "cache_file", lambda: path)
    worddata._words.cache_clear()
    yield path
    worddata._words.cache_clear()


def test_installing_writes_what_the_libraries_give_and_processes_read_it_back(fresh):
    assert worddata.dictionary("en")["went"] == "go"
    assert not fresh.exists()                   # a process reads, never writes
    worddata._words.cache_clear()
    english = worddata.dictionary("en")
    assert worddata.install() == fresh
    assert fresh.exists() and oct(fresh.stat().st_mode & 0o777) == "0o644"
    written = fresh.stat().st_mtime_ns
    assert worddata.install() == fresh and fresh.stat().st_mtime_ns == written      # whole already: kept
    worddata._words.cache_clear()
    again = worddata.dictionary("en")           # this time from the file
    assert again == english and again is not english
    assert again["went"] is again["goes"]       # one string per lemma, not per form: 22 MB less
    assert worddata.top_english() == wordfreq.top_n_list("en", worddata.TOP_ENGLISH)
    assert len(english) > 100_000 and len(worddata.dictionary("bg")) > 100_000


def test_lemmas_read_through_it_are_simplemmas():
    for word in ("refunded", "closing", "went", "stores", "отваряме", "склада", "възстановяване", "xqzt"):
        lang = "bg" if lemmas.is_cyrillic(word) else "en"
        assert lemmas._lemma(word) == simplemma.lemmatize(word, lang=lang).lower()
        assert lemmas.in_dictionary(word) == simplemma.is_known(word, lang=lang)


def test_a_damaged_file_is_decoded_around_and_replaced_by_the_next_install(fresh):
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(b"\x00not marshal data")
    assert worddata.dictionary("en")["went"] == "go"
    assert fresh.read_bytes() == b"\x00not marshal data"
    worddata.install()
    assert fresh.stat().st_size > 1_000_000


def test_a_file_of_other_versions_is_not_read_and_the_next_install_removes_it(fresh):
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(__import__("marshal").dumps({"file": "word-data-other.marshal", "dictionaries": {}}))
    assert worddata.dictionary("en")["went"] == "go"
    other = fresh.parent / "word-data-cpython-311-simplemma1.0-wordfreq1.0-f2.marshal"
    other.write_bytes(b"an older version's data")
    unrelated = fresh.parent / "notes.txt"
    unrelated.write_text("kept")
    worddata.install()
    assert fresh.exists() and not other.exists() and unrelated.exists()


def test_a_folder_it_cannot_write_still_gives_the_words_and_says_why(fresh, capsys):
    fresh.parent.write_text("a file where the folder would be")     # no folder, even for root
    assert worddata.main() == 1
    assert "cannot write the decoded word data" in capsys.readouterr().err
    assert worddata.dictionary("bg")
    assert fresh.parent.is_file()


def test_commonness_is_wordfreqs_zipf_frequency():
    """Rule anchors (language/anchors.py) read a plain word's frequency straight from wordfreq's table:
    the same figure zipf_frequency gives, for dictionary words and for words needing its tokenizer."""
    from companion.engine.language.anchors import commonness

    words = ["refund", "the", "xqzt", "straße", "naïve", "don't", "covid19", "e\u0301te", "İstanbul",
             "отварям", "отваряме", "склада", "sam", "lone", "keypad"]
    for lang in ("en", "bg"):
        table = sorted(wordfreq.get_frequency_dict(lang))
        words += table[::max(1, len(table) // 3000)]
    for w in words:
        assert commonness(w) == wordfreq.zipf_frequency(w, "bg" if lemmas.is_cyrillic(w) else "en"), w
