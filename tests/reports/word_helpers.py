"""Small Word templates and a diagram that renders them, for the template tests."""

from __future__ import annotations

import io

from docx import Document

TEMPLATE = "surat_uji.docx"
SERVICE_TASK = """
    <bpmn:serviceTask id="buat_surat" name="Buat surat" camunda:type="external" camunda:topic="reports.render">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="template" value="{template}" />
        <camunda:property name="signed" value="true" />
        <camunda:property name="signer_step" value="periksa" />
      </camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:serviceTask>"""
DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="definisi_surat_uji" targetNamespace="http://laksana/uji">
  <bpmn:process id="surat_uji" name="Surat uji" isExecutable="true">
    <bpmn:laneSet id="jalur"><bpmn:lane id="lane_kasi" name="Kasi"><bpmn:flowNodeRef>mulai</bpmn:flowNodeRef><bpmn:flowNodeRef>periksa</bpmn:flowNodeRef><bpmn:flowNodeRef>buat_surat</bpmn:flowNodeRef><bpmn:flowNodeRef>{last}</bpmn:flowNodeRef><bpmn:flowNodeRef>selesai</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="mulai"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="perihal" label="Perihal" type="string" />
      <camunda:formField id="jenis" label="Jenis" type="enum"><camunda:value id="sangat_segera" name="Sangat segera" /><camunda:value id="biasa" name="Biasa" /></camunda:formField>
    </camunda:formData></bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="periksa" name="Periksa"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="catatan_periksa" label="Catatan" type="string" />
    </camunda:formData></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    {service}
    <bpmn:userTask id="{last}" name="Tindak lanjut"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="tindak_lanjut" label="Tindak lanjut" type="string" />
    </camunda:formData></bpmn:extensionElements><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="selesai"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="periksa" />
    <bpmn:sequenceFlow id="f2" sourceRef="periksa" targetRef="buat_surat" />
    <bpmn:sequenceFlow id="f3" sourceRef="buat_surat" targetRef="{last}" />
    <bpmn:sequenceFlow id="f4" sourceRef="{last}" targetRef="selesai" />
  </bpmn:process>
</bpmn:definitions>
"""


def diagram(template: str = TEMPLATE, last: str = "tindak") -> bytes:
    service = SERVICE_TASK.format(template=template)
    return DIAGRAM.format(service=service, last=last).encode("utf-8")


def docx_bytes(*paragraphs: str) -> bytes:
    """A Word document with these paragraphs (placeholders as written)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter(*extra: str) -> bytes:
    return docx_bytes(
        "Nomor: {{ nomor_surat }}",
        "Perihal: {{ perihal }} ({{ jenis|label }})",
        "Catatan: {{ catatan_periksa }}",
        *extra,
        "{{ jabatan_penandatangan }}",
        "{{ tanda_tangan }}",
        "{{ penandatangan }}",
    )
