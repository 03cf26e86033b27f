"""Hashed keys: unique and primary-key verdicts rest on these two properties.

1. Equal values hash equal and different values (almost surely) differ,
   whatever the batch layout (slices, nulls, lengths around the 8-byte words).
2. ``SeenKeys.previous_rows`` gives, for every row, the last earlier row with
   the same key, across batches and inside one batch (what frictionless names
   in "the same as in the row at position N").
"""
import numpy as np
import pyarrow as pa
from hypothesis import given, settings, strategies as st

from territoria.columnar.keys import SeenKeys, hash_keys


def _naive_previous(values, rows):
    last, out = {}, []
    for value, row in zip(values, rows):
        out.append(last.get(value, 0))
        last[value] = row
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["", "a", "ab", "LP-000000001", "LP-000000002", "12345678", "123456789",
                                 "é", "x" * 16, "x" * 17, "y" * 40]), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=7))
def test_previous_rows_matches_a_dictionary_across_and_inside_batches(values, batch_size):
    rows = list(range(2, len(values) + 2))
    seen = SeenKeys()
    got = []
    for start in range(0, len(values), batch_size):
        chunk = pa.array(values[start:start + batch_size], pa.string())
        hashes = hash_keys([chunk])
        got += seen.previous_rows(hashes, np.array(rows[start:start + batch_size])).tolist()
    assert got == _naive_previous(values, rows)


def test_string_hashes_ignore_the_array_layout():
    values = ["LP-1", "LP-12345678", "", None, "LP-1", "a" * 30]
    whole = hash_keys([pa.array(values)])
    sliced = hash_keys([pa.array(["zz"] + values)[1:]])
    assert whole.tolist() == sliced.tolist()
    assert whole[0] == whole[4]
    assert len({whole[0], whole[1], whole[2], whole[3], whole[5]}) == 5  # "" differs from null


def test_a_value_hashes_alike_whatever_its_batch_neighbours_and_array_type():
    """A long text in the batch, or a large_string array (Parquet), must not change
    the hash of the other values: unique and foreign keys compare across batches."""
    alone = hash_keys([pa.array(["LP-000000001", "z" * 200])])
    beside_long = hash_keys([pa.array(["LP-000000001", "y" * 500, "z" * 200])])
    large = hash_keys([pa.array(["LP-000000001", "z" * 200], pa.large_string())])
    assert alone[0] == beside_long[0] == large[0]
    assert alone[1] == beside_long[2] == large[1]


def test_strings_differing_only_in_trailing_zero_bytes_or_length_differ():
    values = ["abc", "abc\x00", "abcdefgh", "abcdefgh\x00", "a" * 97, "a" * 98]
    hashes = hash_keys([pa.array(values)])
    assert len(set(hashes.tolist())) == len(values)


def test_numbers_hash_in_one_domain_and_composite_keys_keep_order():
    ints = hash_keys([pa.array([1, 2], pa.int64())])
    floats = hash_keys([pa.array([1.0, 2.0], pa.float64())])
    assert ints.tolist() == floats.tolist()  # 1 == 1.0, as Python compares them
    ab = hash_keys([pa.array(["a"]), pa.array(["b"])])
    ba = hash_keys([pa.array(["b"]), pa.array(["a"])])
    assert ab[0] != ba[0]


def test_reserve_keeps_results_identical():
    values = [f"K{i % 50}" for i in range(300)]
    rows = np.arange(2, 302)
    plain, reserved = SeenKeys(), SeenKeys()
    reserved.reserve(1 << 20)
    hashes = hash_keys([pa.array(values)])
    assert plain.previous_rows(hashes, rows).tolist() == reserved.previous_rows(hashes, rows).tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=-5, max_value=10**6)),
                max_size=300),
       st.integers(min_value=0, max_value=2000))
def test_uint64_table_behaves_like_a_dict(pairs, expected):
    """Few distinct keys sharing their low bits (one long probe chain), repeats,
    key 0, growth from any starting size: the table answers as a dict would."""
    from territoria.columnar.hash_table import UInt64Table

    table, reference = UInt64Table(expected), {}
    for start in range(0, len(pairs), 37):
        chunk = pairs[start:start + 37]
        keys = np.array([k << 20 for k, _ in chunk], dtype=np.uint64)
        table.put(keys, np.array([v for _, v in chunk], dtype=np.int64))
        for k, v in chunk:
            reference[k << 20] = v
    probe = sorted(reference) + [7, 99 << 20]
    assert table.get(np.array(probe, dtype=np.uint64)).tolist() == [reference[k] for k in sorted(reference)] + [-1, -1]
    assert len(table) == len(reference)


def test_swap_returns_the_values_it_replaces():
    from territoria.columnar.hash_table import UInt64Table

    table = UInt64Table()
    assert table.swap(np.array([5, 0, 9], dtype=np.uint64), np.array([1, 2, 3])).tolist() == [-1, -1, -1]
    assert table.swap(np.array([9, 5, 4], dtype=np.uint64), np.array([7, 8, 6])).tolist() == [3, 1, -1]
    assert table.get(np.array([0, 5, 9, 4, 1], dtype=np.uint64)).tolist() == [2, 8, 7, 6, -1]


def test_the_number_zero_is_found_again_across_a_spill():
    """0 hashes to 0, which the in-memory table stores under a stand-in: the keys it held
    when it spilled and those given after must still meet (same partition, same hash)."""
    zero = hash_keys([pa.array([0], pa.int64())])
    assert zero.tolist() == [0]
    others = hash_keys([pa.array(np.arange(1, 3001), pa.int64())])
    seen = SeenKeys(budget=20_000)
    assert seen.previous_rows(zero, np.array([2])).tolist() == [0]  # held in memory
    seen.previous_rows(others, np.arange(3, 3003))  # past the budget: spilled
    assert seen.spilled
    seen.previous_rows(zero, np.array([5000]))
    try:
        assert [r.tolist() for r in seen.finish()] == [[5000], [2]]
    finally:
        seen.close()
