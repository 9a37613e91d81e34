"""A gazetteer for the linker's tests: Palmyra and its parts, a few other heritage sites of the
region, and the cities used as landmarks (slugs as in the curated fixtures).

Decisions it encodes (see heritage/intake/linking.py): "Damascus", "Homs" and
"Aleppo" alone are the living cities, never proposed ("Damascus" is recorded,
as in the curated fixtures, as a variant of the Ancient City of Damascus, and
the linker reads the bare city name as the city; Homs and Aleppo are landmark
cities); "Ancient City of Damascus" / "Old City of Damascus" is the World
Heritage property. Likewise "the ancient city of Bosra" is the property. Rome and Jerusalem are not in the gazetteer as
bare names; the Old City of Jerusalem is recorded only under its full name.
"""

from heritage.models import RiskProfile
from sites.models import Designation
from sites.tests.factories import make_designation, make_name, make_site

# slug: (preferred name, kind, parent slug, [(name, language, kind)])
SITES = {
    "palmyra": ("Palmyra", "archaeological-site", None, [
        ("Site of Palmyra", "en", "variant"), ("Tadmur", "ar-Latn", "transliteration"),
        ("Tadmor", "en", "historical"), ("تدمر", "ar", "preferred"), ("Palmyre", "fr", "variant"),
    ]),
    "temple-of-bel": ("Temple of Bel", "temple", "palmyra", [
        ("Temple of Baal", "en", "variant"), ("Sanctuary of Bel", "en", "variant"), ("معبد بل", "ar", "preferred"),
        ("Temple de Bêl", "fr", "variant"),
    ]),
    "temple-of-baalshamin": ("Temple of Baalshamin", "temple", "palmyra", [
        ("Temple of Baal Shamin", "en", "variant"), ("معبد بعل شمين", "ar", "preferred"),
    ]),
    "roman-theatre": ("Roman Theatre of Palmyra", "theatre", "palmyra", [
        ("Roman Theatre", "en", "variant"), ("Roman amphitheatre", "en", "variant"),
    ]),
    "monumental-arch": ("Monumental Arch", "monumental-arch", "palmyra", [
        ("Triumphal Arch", "en", "variant"), ("Arch of Triumph", "en", "variant"),
        ("Arch of Septimius Severus", "en", "variant"),
    ]),
    "tetrapylon": ("Tetrapylon of Palmyra", "tetrapylon", "palmyra", [("Tetrapylon", "en", "variant")]),
    "great-colonnade": ("Great Colonnade", "colonnade", "palmyra", [("Colonnaded Street", "en", "variant")]),
    "tower-of-elahbel": ("Tower of Elahbel", "tomb", "palmyra", [("Tower tomb of Elahbel", "en", "variant")]),
    "hypogeum-three-brothers": ("Hypogeum of the Three Brothers", "tomb", "palmyra", [
        ("Tomb of the Three Brothers", "en", "variant"),
    ]),
    "temple-of-al-lat": ("Temple of Al-Lat", "temple", "palmyra", [("Temple of Allat", "en", "variant")]),
    "lion-of-al-lat": ("Lion of Al-Lat", "statue", "palmyra", [("Lion of Allat", "en", "variant")]),
    "camp-of-diocletian": ("Camp of Diocletian", "camp", "palmyra", []),
    "agora": ("Agora of Palmyra", "agora", "palmyra", []),
    "palmyra-museum": ("Palmyra Museum", "museum", "palmyra", [("متحف تدمر", "ar", "preferred")]),
    "qasr-al-hayr-al-gharbi": ("Qasr al-Hayr al-Gharbi", "palace", None, [
        ("Western Hir Palace", "en", "variant"), ("قصر الحير الغربي", "ar", "preferred"),
    ]),
    "damascus": ("Ancient City of Damascus", "city", None, [
        ("Old City of Damascus", "en", "variant"), ("دمشق القديمة", "ar", "preferred"),
        ("Damascus", "en", "variant"), ("دمشق", "ar", "variant"),
    ]),
    "ancient-city-of-aleppo": ("Ancient City of Aleppo", "city", None, [
        ("Old City of Aleppo", "en", "variant"),
        # https://ar.unesco.org/silkroad/silk-road-themes/world-heritage-sites/mdynt-hlb-alqdymt (UNESCO's page of
        # the World Heritage site, titled "مدينة حلب القديمة")
        ("مدينة حلب القديمة", "ar", "preferred"),
        # https://sinmarnews.com/4882/ ("تعد مدينة حلب القديمة …", "ويوجد في حلب القديمة الكثير من الأسواق")
        ("حلب القديمة", "ar", "variant"),
    ]),
    "citadel-of-aleppo": ("Citadel of Aleppo", "citadel", "ancient-city-of-aleppo", [("قلعة حلب", "ar", "preferred")]),
    "ancient-city-of-bosra": ("Ancient City of Bosra", "city", None, [
        ("Bosra", "en", "variant"), ("Busra", "ar-Latn", "transliteration"),
        # https://wikimapia.org/1843080/Bosra-al-Sham ("Bosra al-Sham … UNESCO World Heritage Site")
        ("Bosra al-Sham", "en", "variant"),
        # http://dgam.gov.sy/index.php?d=307&id=694 (the DGAM's page of the World Heritage site: "بصرى")
        ("بصرى", "ar", "preferred"),
        # https://alnnour.com/?p=82981 ("مدينة بصرى الشام التاريخية")
        ("بصرى الشام", "ar", "variant"),
    ]),
    "crac-des-chevaliers": ("Crac des Chevaliers", "castle", None, [
        ("Krak des Chevaliers", "en", "variant"), ("Qal'at al-Hisn", "ar-Latn", "transliteration"),
        # https://auhm.org/heritage-item/الفرسان-وصلاح-الدين-قلعتان-تسردان-تار ("قلعة الفرسان، المعروفة
        # باسم قلعة الحصن", inscribed in 2006)
        ("قلعة الحصن", "ar", "preferred"),
    ]),
    "nimrud": ("Nimrud", "archaeological-site", None, [
        ("Kalhu", "en", "historical"),
        # https://www.masress.com/shorouk/885498 (UNESCO on "تدمير مدينة نمرود الأثرية")
        ("نمرود", "ar", "preferred"),
        # https://nabaatv.net/archives/31710 (UNESCO: "أدين بكل شدة تدمير موقع النمرود")
        ("النمرود", "ar", "variant"),
    ]),
    "hatra": ("Hatra", "archaeological-site", None, [
        ("al-Hadr", "ar-Latn", "transliteration"),
        # http://ar.unesco.org/news/df-mwq-mdyn-lhdr-ltrykhy-qy-m-ltrth-lmhdd-blkhtr (UNESCO: "موقع مدينة الحضر
        # التاريخية", "تم إدراج الحضر على قائمة التراث العالمي عام 1985")
        ("الحضر", "ar", "preferred"),
    ]),
    "old-city-of-jerusalem": ("Old City of Jerusalem and its Walls", "city", None, []),
    # Living cities, recorded as landmarks for relative descriptions ("215 km north-east of Damascus").
    "homs": ("Homs", "city", None, [("حمص", "ar", "preferred")]),
    "aleppo": ("Aleppo", "city", None, [("حلب", "ar", "preferred")]),
}
# Years of inscription on the World Heritage List (UNESCO's export).
INSCRIBED = {
    "palmyra": "1980", "damascus": "1979", "ancient-city-of-aleppo": "1986",
    "ancient-city-of-bosra": "1980", "crac-des-chevaliers": "2006", "hatra": "1985", "old-city-of-jerusalem": "1981",
}


def build_gazetteer():
    """Create the sites and names; returns {slug: Site}."""
    sites = {}
    for slug, (name, kind, parent, names) in SITES.items():
        sites[slug] = make_site(name, slug=slug, kind=kind, parent=sites.get(parent))
        for alternate, language, name_kind in names:
            make_name(sites[slug], alternate, language=language, kind=name_kind)
    for slug, year in INSCRIBED.items():
        make_designation(sites[slug], kind=Designation.Kind.WORLD_HERITAGE, start=year)
    RiskProfile.objects.record_changed(sites.values())  # as a writer would end
    return sites
