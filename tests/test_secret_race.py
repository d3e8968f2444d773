"""Two first runs at once (two test workers, two replicas) on one data folder get one key and leave
no temporary file (the fresh-clone CI once failed at collection: one worker unlinked the other's
shared 'secret_key.tmp' before it was linked)."""
import concurrent.futures as cf
import multiprocessing

from bot.settings import secret_from_data_dir


def test_concurrent_first_runs_share_one_key_and_leave_no_temporary_file(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for attempt in range(10):
        data = tmp_path / f"data{attempt}"
        with cf.ProcessPoolExecutor(4, mp_context=ctx) as pool:
            keys = set(pool.map(secret_from_data_dir, [data] * 8))
        assert len(keys) == 1
        assert [p.name for p in data.iterdir()] == ["secret_key"]
        assert (data / "secret_key").stat().st_mode & 0o777 == 0o600
