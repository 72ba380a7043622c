"""Reports benchmark: data attachment (278 desa x sex, chart), SOP document, signing; medians.

    .venv/bin/python bench/reports.py [--repeat 15]

Targets: attachment <= 0.5 s, SOP document <= 0.2 s, signing <= 0.3 s. Demo data
from ``reports.samples``; the signing certificate is a local CA made in a temp dir.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.config import Settings  # noqa: E402
from reports import lampiran_data, samples, sop_document, surat_data  # noqa: E402
from reports.signing import ensure_office_certificate, sign_pdf, trust_root_paths, verify_pdf  # noqa: E402

DIAGRAM = ROOT / "processes" / "permohonan_data_agregat.bpmn"
URL = "http://127.0.0.1:5000/verifikasi/00000000-0000-0000-0000-000000000000"
TARGETS = {
    "attachment 278 desa x sex + chart": 0.5,
    "SOP document (BPMN -> PDF)": 0.2,
    "sign cover letter": 0.3,
    "sign 278-row attachment": 0.3,
}


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    work()  # warm up: fonts, imports, caches
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--smoke", action="store_true", help="one run per case: checks the bench still runs (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
    result = samples.desa_by_sex(278)
    letter = surat_data.render(
        samples.registered_letter(),
        number="400.12.4/1/2026",
        letter_date="2026-07-10",
        dataset=result,
        signer=samples.KEPALA_DINAS,
    )
    attachment = lampiran_data.render(
        result,
        letter_number="400.12.4/1/2026",
        letter_date="2026-07-10",
        signer=samples.KEPALA_DINAS,
        threshold=5,
    )
    diagram = DIAGRAM.read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(instance_dir=Path(folder))
        paths = ensure_office_certificate(settings)
        now = datetime.now(UTC)
        signed = sign_pdf(
            letter, paths=paths, verify_url=URL, signer_label="Kepala Dinas", signed_at=now
        )
        roots = trust_root_paths(settings)
        cases = {
            "attachment 278 desa x sex + chart": lambda: lampiran_data.render(
                result,
                letter_number="400.12.4/1/2026",
                letter_date="2026-07-10",
                signer=samples.KEPALA_DINAS,
                threshold=5,
            ),
            "SOP document (BPMN -> PDF)": lambda: sop_document.render_bpmn(diagram),
            "sign cover letter": lambda: sign_pdf(
                letter, paths=paths, verify_url=URL, signer_label="Kepala Dinas", signed_at=now
            ),
            "sign 278-row attachment": lambda: sign_pdf(
                attachment, paths=paths, verify_url=URL, signer_label="Kepala Dinas", signed_at=now
            ),
            "verify signed letter": lambda: verify_pdf(signed, roots),
        }
        print(f"{'case':38} {'median s':>9} {'target s':>9}")
        for name, work in cases.items():
            seconds = median_seconds(work, args.repeat)
            target = TARGETS.get(name)
            verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
            print(f"{name:38} {seconds:9.3f} {target if target else '-':>9} {verdict}")


if __name__ == "__main__":
    main()
