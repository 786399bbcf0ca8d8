# As in Dutch, day before month and a 24-hour clock, so that both languages read the same:
# a date "3 December 2026", a date and time "3 December 2026, 15:41".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y, H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
