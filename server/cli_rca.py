"""``andon rca TEXT``: why a quality measure changed, with cited evidence, actions and
clauses (the ``--json`` shape is shared/spec/cli-contract.md's)."""

from __future__ import annotations

from typing import Annotated

import typer

from server.cli import DbOption, JsonOption, MappingOption, app, refusals, settings_for
from server.context import (
    history_policy,
    load_catalog,
    load_mapping,
    open_database,
)
from server.output import print_json, print_rows, stdout

QuestionArg = Annotated[str, typer.Argument(
    help="The question in English or Chinese, e.g. 'why did the weight variation of "
         "P-100 rise in March?' or 'P-100重量为什么在5月下旬下降？'.")]


@app.command("rca")
def rca_command(question: QuestionArg, db: DbOption = None, mapping: MappingOption = None,
                as_json: JsonOption = False) -> None:
    """Explain a quality problem: when it changed, the ranked causes with their evidence, a
    narrative citing it, actions and the standard clauses that apply."""
    from tools.rca import investigate

    with refusals(as_json):
        settings = settings_for(db, mapping)
        table_mapping = load_mapping(settings)
        with open_database(settings, quiet=as_json) as database:
            catalog = load_catalog(database, table_mapping)
            result = investigate(question, db=database, catalog=catalog,
                                 policy=history_policy(settings, table_mapping))
        if as_json:
            print_json(result.contract())
            return
        problem = result.problem
        stdout.print("[bold]Problem:[/]", highlight=False)
        for item in problem.evidence:
            stdout.print(f"  {item.claim} [{item.id}]", highlight=False, markup=False)
        for note in problem.notes:
            stdout.print(f"  Note: {note}", highlight=False, markup=False)
        if result.causes:
            print_rows(["#", "kind", "id", "score", "confounded with", "evidence"],
                       [(i, c.kind, c.id, f"{c.score:.3f}",
                         ", ".join(f"{r.kind} {r.id}" for r in c.confounded_with or []),
                         " ".join(e.id for e in c.evidence))
                        for i, c in enumerate(result.causes, start=1)],
                       title="Causes, most likely first")
        stdout.print("\n[bold]Narrative:[/]", highlight=False)
        stdout.print(result.narrative, highlight=False, markup=False)
        if result.actions:
            stdout.print("\n[bold]Actions:[/]", highlight=False)
            for action in result.actions:
                stdout.print(f"  - {action}", highlight=False, markup=False)
        if result.clauses:
            stdout.print("\n[bold]Clauses:[/]", highlight=False)
            for clause in result.clauses:
                stdout.print(f"  - {clause.standard} {clause.clause} {clause.title}",
                             highlight=False, markup=False)
