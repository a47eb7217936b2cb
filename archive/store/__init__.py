"""Object stores: the ``ObjectStore`` contract, a local folder and any S3-compatible server."""

from archive.store.api import ObjectInfo, ObjectStore, object_key
from archive.store.bounded import BoundedStore
from archive.store.local import LocalStore
from archive.store.s3 import S3Config, S3Store

__all__ = ["BoundedStore", "LocalStore", "ObjectInfo", "ObjectStore", "S3Config", "S3Store", "object_key"]
