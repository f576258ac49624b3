"""The OpenAPI schema names each response shape once: two schema classes of one name would
share one component, and one endpoint would be documented with the other's fields."""

import importlib
import pkgutil

import ninja

import truenorth.api


def test_no_two_api_schemas_share_a_name():
    seen: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(truenorth.api.__path__):
        module = importlib.import_module(f"truenorth.api.{module_info.name}")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, ninja.Schema)
                and value.__module__ == module.__name__
            ):
                assert name not in seen, f"{name} is defined in {seen[name]} and {module.__name__}"
                seen[name] = module.__name__
    assert len(seen) > 10  # the API's modules were read
