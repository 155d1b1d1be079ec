import django.core.serializers.json
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("states", "0018_editors_add_actor_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="changeproposal",
            name="base",
            field=models.JSONField(
                blank=True,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
            ),
        ),
    ]
