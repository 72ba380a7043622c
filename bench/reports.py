"""Reports benchmark: data attachment (278 desa x sex, chart), SOP document, signing, Word letter.

    .venv/bin/python bench/reports.py [--repeat 15] [--smoke]

Targets: attachment <= 0.5 s, SOP document <= 0.2 s, signing <= 0.3 s, a letter from a Word
template to a signed PDF (docxtpl, LibreOffice headless, PAdES) <= 2 s. Demo data from
``reports.samples`` and the first Word template shipped in ``processes/``; the signing certificate is a
local CA made in a temp dir. The Word case runs at most 5 times; LibreOffice's start (the warm-up a
worker does in the background when it starts, ``office_pdf.prewarm``) and the first letter after
it are shown apart.
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
from reports import lampiran_data, office_pdf, samples, sop_document, surat_data, word  # noqa: E402
from reports.signing import ensure_office_certificate, sign_pdf, trust_root_paths, verify_pdf  # noqa: E402

DIAGRAM = ROOT / "processes" / "permohonan_data_agregat.bpmn"
#: the first Word template shipped with a diagram (the bench names no SOP)
WORD_TEMPLATE = sorted((ROOT / "processes").glob("*/*.docx"))[0]
WORD_CASE = "Word template -> signed PDF"
URL = "http://127.0.0.1:5000/verifikasi/00000000-0000-0000-0000-000000000000"
TARGETS = {
    "attachment 278 desa x sex + chart": 0.5,
    "SOP document (BPMN -> PDF)": 0.2,
    "sign cover letter": 0.3,
    "sign 278-row attachment": 0.3,
    WORD_CASE: 2.0,
}


def word_letter(paths, now: datetime) -> Callable[[], bytes]:
    """Fill the shipped Word template, convert it with LibreOffice, mark the spot, sign it."""
    content = WORD_TEMPLATE.read_bytes()
    values = {name: f"isian {name}" for name in word.placeholders_of(WORD_TEMPLATE.name, content)}
    values.update(nomor_surat="BA/001/PIAK/2026")

    def work() -> bytes:
        docx = word.render_docx(content, values, filename=WORD_TEMPLATE.name)
        pdf = office_pdf.mark_signature_spot(office_pdf.docx_to_pdf(docx), *word.SIGNATURE_BOX_MM)
        return sign_pdf(pdf, paths=paths, verify_url=URL, signer_label="Kabid PIAK", signed_at=now)

    return work


def timed_once(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


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
        if office_pdf.soffice_path() is None:
            print(f"{WORD_CASE:38} skipped: LibreOffice (soffice) is not installed")
        else:
            cases[WORD_CASE] = word_letter(paths, now)
            warm_up = timed_once(office_pdf.prewarm)  # what a worker does when it starts
            print(f"{'LibreOffice warm-up (worker start)':38} {warm_up:9.3f} {'-':>9}")
            first = timed_once(cases[WORD_CASE])
            print(f"{'Word letter, first after warm-up':38} {first:9.3f} {'-':>9}")
        for name, work in cases.items():
            repeat = min(args.repeat, 5) if name == WORD_CASE else args.repeat
            seconds = median_seconds(work, repeat)
            target = TARGETS.get(name)
            verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
            print(f"{name:38} {seconds:9.3f} {target if target else '-':>9} {verdict}")


if __name__ == "__main__":
    main()
