"""The paced file bounds pyarrow's readahead without ever blocking the reader."""
import time

import pyarrow as pa
import pyarrow.csv as pacsv

from territoria.readers.paced import PacedFile


def _reader(source, block_size):
    return pacsv.open_csv(source, read_options=pacsv.ReadOptions(block_size=block_size),
                          parse_options=pacsv.ParseOptions(newlines_in_values=True),
                          convert_options=pacsv.ConvertOptions(column_types={"a": pa.string(), "b": pa.string()}))


def test_the_reader_stays_a_few_blocks_ahead(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "".join(f"{i},{'x' * 20}\n" for i in range(200_000)), encoding="utf-8")
    paced = PacedFile(str(path), ahead=3)
    reader = _reader(paced, 64 << 10)  # ~200 blocks
    rows, furthest = 0, 0
    for batch in reader:
        time.sleep(0.002)  # a slow consumer: an unpaced reader would run 32 blocks ahead
        furthest = max(furthest, paced._reads - paced._taken)
        paced.batch_taken()
        rows += batch.num_rows
    paced.close()
    assert rows == 200_000
    assert furthest <= 4


def test_a_reader_needing_more_blocks_than_the_pace_still_reads(tmp_path):
    """ahead=1 lets one block be read per batch taken, but the first batch needs two
    (its last record straddles the block boundary): the wait gives way after
    ``patience`` seconds instead of blocking for ever."""
    path = tmp_path / "straddle.csv"
    head = "".join(f"{i},{'y' * 90}\n" for i in range(100))  # ~9.5 kB
    long_cell = '"' + "line\n" * 2_000 + '"'  # 10 kB: crosses the 16 kB boundary
    path.write_text(f"a,b\n{head}1,{long_cell}\n2,short\n", encoding="utf-8")
    paced = PacedFile(str(path), ahead=1, patience=0.01)
    table = _reader(paced, 16 << 10).read_all()
    paced.close()
    assert table.num_rows == 102 and table.column("b")[100].as_py().count("\n") == 2_000


def test_a_bom_is_skipped(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    paced = PacedFile(str(path), skip=3)
    assert paced.read(4) == b"a,b\n"
    paced.close()
