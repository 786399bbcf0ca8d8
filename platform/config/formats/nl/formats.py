# One format per kind, everywhere (templates use |date:"DATE_FORMAT" or "DATETIME_FORMAT"):
# a date "3 december 2026", a date and time "3 december 2026, 15:41".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j-n-Y"
SHORT_DATETIME_FORMAT = "j-n-Y, H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
