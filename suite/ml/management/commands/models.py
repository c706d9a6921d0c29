import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from suite.ml import kinds as K
from suite.ml import selectors, services


class Command(BaseCommand):
    help = "List model kinds and versions, promote a version to production, or roll production back."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "promote", "rollback"])
        parser.add_argument("kind", nargs="?")
        parser.add_argument("version", nargs="?", help="a version number, or 'default' (the untrained default)")
        parser.add_argument("--force", action="store_true", help="promote a version that scored below what serves")
        parser.add_argument("--reason", default="", help="why, when --force is needed (kept in the alias history)")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, kind, version, as_json: bool, force: bool, reason: str, **options):
        try:
            if action == "list":
                return self._list(kind, as_json)
            if not kind:
                raise CommandError(f"`models {action}` needs a KIND.")
            if action == "promote":
                if version is None:
                    raise CommandError("`models promote KIND VERSION` needs a version number (or 'default').")
                move = services.version_promote(kind=kind, target=version, force=force, reason=reason)
            else:
                move = services.version_rollback(kind=kind, target=version)
        except K.UnknownKind as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            hint = " Add --force --reason TEXT to promote it anyway." if "confirm" in getattr(exc, "error_dict", {}) else ""
            raise CommandError(" ".join(exc.messages) + hint) from None
        result = {
            "kind": kind, "action": action, "production": move.to_version.number if move.to_version else "default",
            "previous": move.from_version.number if move.from_version else "default", "forced": move.forced, "note": move.note,
        }
        now, was = services.version_label(move.to_version), services.version_label(move.from_version)
        self.stdout.write(_dumps(result) if as_json else f"{kind}: production is now {now} (was {was}).")

    def _list(self, kind: str | None, as_json: bool):
        if kind:
            K.get_kind(kind)
            production = selectors.production_version(kind=kind)
            candidate = selectors.alias_version(kind=kind, alias="candidate")
            rows = [
                {
                    "version": v.number, "strategy": v.strategy, "test": v.metrics.get("test", {}),
                    "aliases": [a for a, av in (("production", production), ("candidate", candidate)) if av and av.pk == v.pk],
                    "created_at": v.created_at.isoformat(),
                }
                for v in selectors.version_list(kind=kind)
            ]
            if as_json:
                return self.stdout.write(_dumps({"kind": kind, "versions": rows}))
            metric = K.get_kind(kind).primary_metric
            self.stdout.write(f"{kind} (gate metric: {metric})")
            for r in rows or [{"version": None}]:
                if r["version"] is None:
                    self.stdout.write("  no versions yet: the untrained default serves")
                    continue
                value = r["test"].get(metric)
                self.stdout.write(f"  v{r['version']:<3} {r['strategy']:<9} {metric} {value if value is None else f'{value:.4f}'}  {' '.join(r['aliases'])}")
            return
        rows = [
            {
                "kind": k["name"], "task_type": k["task_type"], "metric": k["metric"],
                "production": k["production"].number if k["production"] else None,
                "candidate": k["candidate"].number if k["candidate"] else None, "versions": k["versions"],
            }
            for k in selectors.kind_overview()
        ]
        if as_json:
            return self.stdout.write(_dumps({"kinds": rows}))
        for r in rows:
            self.stdout.write(
                f"{r['kind']:<28} {r['task_type']:<20} production {('v' + str(r['production'])) if r['production'] else 'default':<8} "
                f"candidate {('v' + str(r['candidate'])) if r['candidate'] else '-':<5} versions {r['versions']}"
            )


def _dumps(data) -> str:
    return json.dumps(data, indent=2)
