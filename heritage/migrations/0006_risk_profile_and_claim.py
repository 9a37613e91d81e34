"""One meaning per name: "status" is the editorial state only.

The derived condition and risk of a site is its risk profile (SiteStatus → RiskProfile,
site.status → site.risk_profile), and how far an incident's claim is established is its
claim (claim_status → claim). Renames only: no data changes.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("heritage", "0005_stored_search_documents"),
        ("sites", "0004_site_name_index"),
    ]

    operations = [
        migrations.RenameField(model_name="historicalincident", old_name="claim_status", new_name="claim"),
        migrations.RenameField(model_name="incident", old_name="claim_status", new_name="claim"),
        migrations.RenameModel(old_name="SiteStatus", new_name="RiskProfile"),
        migrations.AlterModelOptions(name="riskprofile", options={"verbose_name_plural": "risk profiles"}),
        migrations.AlterField(
            model_name="riskprofile",
            name="site",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="risk_profile",
                serialize=False, to="sites.site",
            ),
        ),
    ]
