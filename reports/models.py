"""Rollups: the dashboard's figures per region and year, kept current by the writes that change them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The year of figures that describe the present (active candidates, seats held now) rather than a year.
NOW = 0


class Rollup(models.Model):
    """One figure of one region (any level, by division code) for one year (`NOW` for the present).

    Village rows are recomputed from the records by `reports.rollups.refresh` in the transaction of
    every write that changes them, and the difference is added to the rows of the village's township,
    county, city and province; `manage.py rebuild_rollups` recomputes all of them from scratch.
    """

    region = models.CharField(_("division code"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("figure"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "key"], name="rollup_region_year_key")
        ]

    def __str__(self):
        return f"{self.region} {self.year} {self.key}={self.value}"
