"""Logs never hold a whole NIK, No KK or KKS card number: a filter on the handlers masks them in the message
and in the traceback (an import error quoting a row, a failed query's parameters)."""

import logging

from tikor.nik import mask_numbers_in_text

_formatter = logging.Formatter()


class MaskPersonNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = mask_numbers_in_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers_in_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers_in_text(record.stack_info)
        return True
