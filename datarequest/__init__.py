"""The SOP *Pemanfaatan Data Agregat Kependudukan* (004/Dukcapil/PIAK/034) as a plug-in package.

The diagram is ``processes/permohonan_data_agregat.bpmn``; this package declares what the SOP
needs beyond the generic platform: the documents its service tasks render (disposition sheet,
refusal letter, letter with data attachment, receipt).
"""
