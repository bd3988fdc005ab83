import logging

from firstcall.core.masking import mask_text


class MaskCustomerDataFilter(logging.Filter):
    """Masks service numbers and ID numbers in every log record before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
