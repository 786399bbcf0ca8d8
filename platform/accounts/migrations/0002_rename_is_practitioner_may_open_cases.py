from django.db import migrations, models


class Migration(migrations.Migration):
    """User.is_practitioner meant "may open cases", which is not the practitioner role a person
    has in a family: the field gets the name of what it is (the column is renamed, values kept)."""

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="user", old_name="is_practitioner", new_name="may_open_cases"),
        migrations.AlterField(
            model_name="user",
            name="may_open_cases",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Deze persoon mag zelf een gezin openen en wordt daarvan de coördinerend professional. "
                    "Wie als professional bij een gezin komt, krijgt dit vanzelf. "
                    "Alleen een beheerder kan het weer uitzetten."
                ),
                verbose_name="mag gezinnen openen",
            ),
        ),
    ]
