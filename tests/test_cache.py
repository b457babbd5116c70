"""The disk cache of built indexes: a hit loads what was built, any change to what the object
depends on builds it again, and no state of the folder can make a caller fail."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sanctionwatch import cache
from sanctionwatch.cache import cache_directory, cached


@dataclass
class Index:
    words: dict[str, list[int]] = field(default_factory=dict)


class Builder:
    def __init__(self, words: str) -> None:
        self.words = words
        self.calls = 0

    def __call__(self) -> Index:
        self.calls += 1
        index = Index()
        for position, word in enumerate(self.words.split()):
            index.words.setdefault(word, []).append(position)
        return index


@pytest.fixture
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SANCTIONWATCH_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path, name: str = "words") -> list[Path]:
    return sorted(folder.glob(f"{name}-*.pickle"))


def test_a_second_call_loads_what_the_first_built(directory: Path) -> None:
    build = Builder("ore coal ore iron")
    first = cached("words", [b"ore coal ore iron"], build, Index)
    second = cached("words", [b"ore coal ore iron"], build, Index)
    assert build.calls == 1
    assert second == first and second is not first
    assert second.words == {"ore": [0, 2], "coal": [1], "iron": [3]}
    (entry,) = entries(directory)
    assert entry.stat().st_mode & 0o777 == 0o600 and directory.stat().st_mode & 0o777 == 0o700


def test_a_changed_part_builds_again_and_the_stale_entry_goes(directory: Path) -> None:
    cached("words", [b"list of 2018"], Builder("coal"), Index)
    (old,) = entries(directory)
    build = Builder("coal iron")
    value = cached("words", [b"list of 2024"], build, Index)
    assert build.calls == 1 and value.words == {"coal": [0], "iron": [1]}
    (new,) = entries(directory)
    assert new != old and not old.exists()


def test_parts_are_not_merely_concatenated() -> None:
    assert cache.cache_key([b"ab", b"c"]) != cache.cache_key([b"a", b"bc"])


def test_names_keep_their_own_entries(directory: Path) -> None:
    cached("words", [b"x"], Builder("a"), Index)
    cached("places", [b"x"], Builder("b"), Index)
    assert len(entries(directory, "words")) == 1 and len(entries(directory, "places")) == 1


@pytest.mark.parametrize("content", [b"", b"not a pickle at all", pickle.dumps(Index(), protocol=5)[:-3], pickle.dumps(["a list"])])
def test_a_corrupt_truncated_or_foreign_entry_is_rebuilt_and_replaced(directory: Path, content: bytes) -> None:
    cached("words", [b"k"], Builder("coal"), Index)
    (entry,) = entries(directory)
    entry.write_bytes(content)
    build = Builder("coal")
    assert cached("words", [b"k"], build, Index).words == {"coal": [0]}
    assert build.calls == 1
    assert pickle.loads(entry.read_bytes()) == Index({"coal": [0]})


def test_off_builds_every_time_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("off", "", "0", "No"):
        monkeypatch.setenv("SANCTIONWATCH_CACHE_DIR", value)
        assert cache_directory() is None
        build = Builder("coal")
        cached("words", [b"k"], build, Index)
        cached("words", [b"k"], build, Index)
        assert build.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_still_gives_the_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("in the way")
    monkeypatch.setenv("SANCTIONWATCH_CACHE_DIR", str(blocker / "cache"))
    build = Builder("coal iron")
    assert cached("words", [b"k"], build, Index).words == {"coal": [0], "iron": [1]}
    assert blocker.read_text() == "in the way"


def test_a_folder_others_may_write_to_is_never_read(directory: Path) -> None:
    cached("words", [b"k"], Builder("coal"), Index)
    (entry,) = entries(directory)
    # Someone else puts an entry there (a pickle runs code when loaded): it must not be read.
    entry.write_bytes(pickle.dumps(Index({"planted": [0]})))
    os.chmod(directory, 0o777)
    build = Builder("coal")
    assert cached("words", [b"k"], build, Index).words == {"coal": [0]}
    assert build.calls == 1
    assert pickle.loads(entry.read_bytes()) == Index({"planted": [0]})  # nor written to


def test_the_default_folder_follows_xdg_then_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANCTIONWATCH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_directory() == tmp_path / "xdg" / "sanctionwatch"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_directory() == tmp_path / "home" / ".cache" / "sanctionwatch"
    monkeypatch.setenv("SANCTIONWATCH_CACHE_DIR", "~/elsewhere")
    assert cache_directory() == tmp_path / "home" / "elsewhere"


def test_the_bundled_gazetteer_loaded_from_the_cache_is_the_one_built(directory: Path) -> None:
    from sanctionwatch.resolve import gazetteer as module
    from sanctionwatch.resolve.geocode import geocode

    module.load_gazetteer.cache_clear()
    try:
        built = module.load_gazetteer()  # a miss: built, then stored
        assert len(entries(directory, "gazetteer")) == 1
        module.load_gazetteer.cache_clear()
        loaded = module.load_gazetteer()  # a hit
        assert loaded is not built
        fresh = module.build_gazetteer({name: module._vocabulary_bytes(name) for name in module.GAZETTEER_FILES})
        for gazetteer in (built, loaded):
            assert gazetteer.curated_by_key == fresh.curated_by_key
            assert gazetteer.areas_by_key == fresh.areas_by_key
            assert gazetteer.countries_by_key == fresh.countries_by_key
            assert gazetteer.country_by_acronym == fresh.country_by_acronym
            assert gazetteer._city_index == fresh._city_index
        assert loaded.cities("sinuiju") == fresh.cities("sinuiju")
        location = geocode("Sinuiju")
        assert location is not None and location.admin1 == "North Pyongan"
    finally:
        module.load_gazetteer.cache_clear()


def test_the_bundled_sanctions_index_loaded_from_the_cache_matches_as_built(directory: Path) -> None:
    from sanctionwatch.resolve import sanctions_index as module
    from sanctionwatch.resolve.sanctions_list import bundled_list
    from sanctionwatch.resolve.sanctions_match import SanctionsIndex

    module.bundled_index.cache_clear()
    try:
        module.bundled_index()
        module.bundled_index.cache_clear()
        loaded = module.bundled_index()
        assert len(entries(directory, "sanctions-index")) == 1
        fresh = SanctionsIndex(bundled_list())
        assert loaded.literal == fresh.literal and loaded.variant == fresh.variant and loaded.imo == fresh.imo
        text = "Korea Mining Development Trading Corporation (KOMID) shipped parts via Ocean Maritime Management."
        assert loaded.find_in_text(text) == fresh.find_in_text(text)
        assert loaded.find_in_text(text)
        assert loaded.match_name("KOMID", kind="organization") == fresh.match_name("KOMID", kind="organization")
    finally:
        module.bundled_index.cache_clear()
