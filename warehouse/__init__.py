"""Population data warehouse: SIAK-like person data, aggregate queries, disclosure control.

Modules:
    codes, regions, periods   SIAK code lists and dimensions, the regency's regions, DKB periods
    schema, store, loader     tables (``wh_*``), the Warehouse (one engine per URL), bulk loading
    duckfile                  a DuckDB file read by many processes: read-only readers, builds
                              written to a copy and swapped in atomically
    population, households,   the synthetic population (``generator.generate``, ``build.build_synthetic``)
    attributes, identifiers,
    profiles, generator, build
    importer                  real data from CSV, validated whole before anything is loaded
    presets, spec, query      standard DAK tables, spec validation, the portable GROUP BY and result
    cellkey, sdc              the cell key method: record keys, perturbation, published values;
                              the policy, the protected table and its notice
    export, textable          CSV / XLSX / terminal renderings of a result
    access, service           grants and the query log; the engine's topic handlers and the preview

What other packages call:
    warehouse.topics.grant(call) -> {"akses_id"}                      topic warehouse.grant
    warehouse.topics.aggregate(call) -> {"dataset_id", "dataset_ringkasan"}   topic warehouse.aggregate
    warehouse.topics.preview(session, settings, instance_id, username, spec_or_form, now=None) -> result
    warehouse.export.to_csv(result) -> bytes, warehouse.export.to_xlsx(result) -> bytes
    warehouse.presets.preset_list() -> [{"name", "label", "spec"}]
"""
