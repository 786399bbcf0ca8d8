"""School holidays are reference data, not family data: an administrator adds a school year the
library does not have yet, or corrects one (trajectories.schoolholidays). Django's admin log
records who did. Trajectories and talks change only through their services (not here)."""

from django.contrib import admin

from trajectories.models import SchoolHoliday


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    list_display = ("region", "name", "first_day", "last_day", "school_year", "source")
    list_filter = ("region", "school_year")
    ordering = ("school_year", "region", "first_day")
    fields = ("region", "name", "first_day", "last_day", "source")
