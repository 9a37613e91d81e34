from django.conf import settings


def site_settings(request):
    """The map's tile layer, for deployments that have one; and a default canonical address."""
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "canonical_url": request.build_absolute_uri(request.path),
    }
