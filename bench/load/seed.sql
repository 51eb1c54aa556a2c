-- Bench volume for the load benchmark (bench/README.md, "Load benchmark against PostGraphile").
--
-- Runs after `ccm-isu migrate up` and `ccm-isu seed --states` on an empty database: the 125-State
-- registry is there, nothing else. Adds, deterministically (every "random" choice is a hash of
-- a fixed string, so two seedings give the same rows and the same IDs):
--
--   * deadline extensions for the contaminated States whose Article 4 deadline has passed,
--     each one treaty step (5 years) after the deadline in force, as the service allows;
--   * Article 7 reports: every State party's (and the withdrawn State's) initial report and its
--     annual reports for 2016-2025, as far as it owes them (obligations engine rules: due
--     30 April of the next year, strictly after the initial report's due date, nothing due
--     after a withdrawal); about 6 % of the annual reports are missing, 2025's are partly
--     drafts, the rest submitted (some late) or published;
--   * exchange rates for USD and EUR (base CHF);
--   * 2 000 assistance needs (60 % from the contaminated States) and 500 offers (60 % from
--     high-income States parties, 40 % from organisations).
--
-- IDs are UUIDv7 like the service's (`Uuid::now_v7`): the creation time, then hash bits, so
-- that "newest first" by ID means what it means in the service.

\set ON_ERROR_STOP on

BEGIN;

CREATE FUNCTION pg_temp.h(seed text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashtext(seed)) % 100 $$;

CREATE FUNCTION pg_temp.hn(seed text, n integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashtext(seed)) % n $$;

CREATE FUNCTION pg_temp.uuid7(ts timestamptz, seed text) RETURNS uuid
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0')
            || '7' || substr(md5(seed), 1, 3)
            || to_hex(8 + (get_byte(decode(md5(seed), 'hex'), 4) & 3))
            || substr(md5(seed), 5, 15))::uuid
$$;

-- Article 17.
CREATE FUNCTION pg_temp.eif(deposit date) RETURNS date
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN deposit <= date '2010-02-16' THEN date '2010-08-01'
                ELSE (date_trunc('month', deposit) + interval '6 months')::date END
$$;

CREATE TEMP TABLE bound AS
SELECT s.code, s.name, s.regional_group, s.income_group, s.contaminated, s.holds_stockpiles,
       s.withdrawal_effective_date AS withdrawal,
       pg_temp.eif(s.deposit_date) AS eif,
       pg_temp.eif(s.deposit_date) + 180 AS initial_due
FROM states s
WHERE s.status IN ('STATE_PARTY', 'WITHDRAWN') AND s.deposit_date IS NOT NULL;

---------------------------------------------------------------------------------------------
-- Extensions (Article 4(5)): up to two, each exactly one step of five years.
INSERT INTO deadline_extensions (id, state_code, kind, previous_deadline, new_deadline,
                                 granted_on, granted_at, created_at)
SELECT pg_temp.uuid7(e.granted_on::timestamptz, 'ext:' || e.code || ':' || e.n),
       e.code, 'CLEARANCE', e.prev, e.new, e.granted_on,
       (extract(year FROM e.granted_on)::int - 2010) || 'MSP',
       e.granted_on::timestamptz
FROM (
    SELECT b.code, n,
           (b.eif + make_interval(years => 10 + 5 * (n - 1)))::date AS prev,
           (b.eif + make_interval(years => 10 + 5 * n))::date AS new,
           (b.eif + make_interval(years => 10 + 5 * (n - 1)) - interval '10 months')::date AS granted_on
    FROM bound b, generate_series(1, 2) AS n
    WHERE b.contaminated
) e
WHERE e.prev < date '2027-01-01';

---------------------------------------------------------------------------------------------
-- Reports.
CREATE TEMP TABLE plan AS
SELECT b.code, 'INITIAL'::text AS kind, extract(year FROM b.eif)::int AS year,
       b.initial_due AS due
FROM bound b
WHERE b.withdrawal IS NULL OR b.initial_due <= b.withdrawal
UNION ALL
SELECT b.code, 'ANNUAL', y, make_date(y + 1, 4, 30)
FROM bound b, generate_series(2016, 2025) AS y
WHERE make_date(y + 1, 4, 30) > b.initial_due
  AND y >= extract(year FROM b.eif)
  AND (b.withdrawal IS NULL OR make_date(y + 1, 4, 30) <= b.withdrawal);

CREATE TEMP TABLE rep AS
SELECT p.*,
       pg_temp.h('rep:' || p.code || ':' || p.kind || ':' || p.year) AS r,
       pg_temp.h('delay:' || p.code || ':' || p.kind || ':' || p.year) - 60 AS delay
FROM plan p;

DELETE FROM rep WHERE kind = 'ANNUAL' AND r < 6;

ALTER TABLE rep ADD COLUMN status text, ADD COLUMN submitted_at timestamptz,
    ADD COLUMN published_at timestamptz, ADD COLUMN created_at timestamptz;
UPDATE rep SET status = CASE
        WHEN kind = 'ANNUAL' AND year = 2025 AND r < 16 THEN 'DRAFT'
        WHEN r < 14 THEN 'SUBMITTED'
        ELSE 'PUBLISHED' END;
UPDATE rep SET
    created_at = (due - 75)::timestamp AT TIME ZONE 'UTC' + interval '10 hours',
    submitted_at = CASE WHEN status <> 'DRAFT'
        THEN (due + delay)::timestamp AT TIME ZONE 'UTC' + interval '9 hours 30 minutes' END;
UPDATE rep SET published_at = submitted_at + interval '14 days' WHERE status = 'PUBLISHED';

INSERT INTO transparency_reports (id, state_code, kind, reporting_year, status, version, due_date,
                                  submitted_at, on_time, published_at, sections, created_at,
                                  updated_at)
SELECT pg_temp.uuid7(r.created_at, 'report:' || r.code || ':' || r.kind || ':' || r.year),
       r.code, r.kind, r.year, r.status,
       CASE r.status WHEN 'DRAFT' THEN 1 + r.r % 3 WHEN 'SUBMITTED' THEN 3 ELSE 4 END,
       r.due, r.submitted_at,
       CASE WHEN r.submitted_at IS NOT NULL THEN (r.submitted_at AT TIME ZONE 'UTC')::date <= r.due END,
       r.published_at,
       jsonb_strip_nulls(jsonb_build_object(
           'format', 1,
           'nationalImplementationMeasures', format(
               '%s %s report for %s. The Convention on Cluster Munitions has been implemented '
               'through the national law on the prohibition of cluster munitions, which makes '
               'the use, development, production, acquisition, stockpiling, retention and '
               'transfer of cluster munitions a criminal offence punishable by imprisonment. '
               'Implementing regulations adopted by the Ministry of Defence set out the '
               'procedures for the destruction of stockpiles and the retention of munitions for '
               'training. During the reporting period the inter-ministerial working group met '
               'four times, reviewed the administrative measures in force and issued guidance '
               'to the armed forces and the customs service. No new legislation was adopted. '
               'Reference %s-%s-%s.',
               b.name, lower(r.kind), r.year, r.code, r.kind, r.year),
           'stockpiles', CASE WHEN b.holds_stockpiles THEN jsonb_build_array(
               jsonb_build_object('munitionType', 'M26 rocket', 'munitions', 1200 - 10 * (r.year - 2010),
                                  'submunitions', 7700, 'retained', 40, 'destroyedThisPeriod', 120),
               jsonb_build_object('munitionType', 'BL755 bomb', 'munitions', 300,
                                  'submunitions', 44100, 'retained', 10, 'destroyedThisPeriod', 25))
               ELSE '[]'::jsonb END,
           'productionFacilities', 'The State has never produced cluster munitions.',
           'contaminatedAreas', CASE WHEN b.contaminated THEN (
               SELECT jsonb_agg(jsonb_build_object(
                   'location', format('Province %s, district %s', i, (r.year + i) % 17 + 1),
                   'areaSquareMetres', (1000000 * i + 37 * r.year)::text || '.00',
                   'remnantTypes', 'BLU-26, BLU-61, M77'))
               FROM generate_series(1, 4) AS i) ELSE '[]'::jsonb END,
           'clearance', CASE WHEN b.contaminated THEN (
               SELECT jsonb_agg(jsonb_build_object(
                   'location', format('Province %s, district %s', i, (r.year + i) % 17 + 1),
                   'areaClearedSquareMetres', (250000 * i + 11 * r.year)::text || '.50',
                   'remnantsDestroyed', 900 * i + r.year % 100))
               FROM generate_series(1, 4) AS i) ELSE '[]'::jsonb END,
           'riskReductionEducation', CASE WHEN b.contaminated THEN
               'Risk education sessions were delivered in affected villages and schools by the '
               'national authority and its partners, reaching men, women, boys and girls; '
               'materials were revised after a knowledge, attitudes and practices survey.' END,
           'victimAssistance', CASE WHEN b.contaminated THEN
               'Survivors were referred to rehabilitation centres; the national disability '
               'action plan includes cluster munition victims, their families and communities.' END,
           'nationalContact', format('National focal point, Ministry of Foreign Affairs of %s', b.name),
           'nationalResources', CASE WHEN b.contaminated THEN jsonb_build_object(
               'amount', (1000000 + 1000 * r.r)::text || '.00', 'currency', 'USD') END,
           'cooperationProvided', CASE WHEN b.income_group = 'HIGH' THEN jsonb_build_array(
               jsonb_build_object('recipient', 'Lao People''s Democratic Republic',
                                  'thematicArea', 'CLEARANCE',
                                  'amount', jsonb_build_object('amount', '500000.00', 'currency', 'EUR'),
                                  'description', 'Survey and clearance through a mine action operator'),
               jsonb_build_object('recipient', 'Iraq', 'thematicArea', 'RISK_REDUCTION_EDUCATION',
                                  'amount', NULL, 'description', 'Expert support to risk education'))
               ELSE '[]'::jsonb END
       ))::text,
       r.created_at,
       coalesce(r.published_at, r.submitted_at, r.created_at)
FROM rep r JOIN bound b USING (code);

---------------------------------------------------------------------------------------------
-- Exchange rates to CHF.
INSERT INTO exchange_rates (id, currency, rate_to_base, valid_from, created_at)
SELECT pg_temp.uuid7(v::timestamptz, 'rate:' || c || ':' || v), c, rate, v, v::timestamptz
FROM (VALUES ('USD', '0.8800', date '2024-01-01'), ('EUR', '0.9400', date '2024-01-01'),
             ('USD', '0.8000', date '2026-01-01'), ('EUR', '0.9300', date '2026-01-01'))
     AS t(c, rate, v);

---------------------------------------------------------------------------------------------
-- Needs: 60 % from the contaminated States, 40 % from the other States parties that are not
-- high-income.
CREATE TEMP TABLE affected AS
SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM bound WHERE contaminated;
CREATE TEMP TABLE others AS
SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM bound
WHERE NOT contaminated AND coalesce(income_group, '') <> 'HIGH' AND withdrawal IS NULL;

CREATE TEMP TABLE areas (k int, area text);
INSERT INTO areas VALUES (0, 'CLEARANCE'), (1, 'RISK_REDUCTION_EDUCATION'),
    (2, 'STOCKPILE_DESTRUCTION'), (3, 'VICTIM_ASSISTANCE'), (4, 'NATIONAL_IMPLEMENTATION'),
    (5, 'TRANSPARENCY_REPORTING'), (6, 'UNIVERSALIZATION');
CREATE TEMP TABLE types (k int, t text);
INSERT INTO types VALUES (0, 'FINANCIAL'), (1, 'TECHNICAL_EXPERTISE'), (2, 'EQUIPMENT'),
    (3, 'TRAINING');
CREATE TEMP TABLE regions (k int, g text);
INSERT INTO regions VALUES (0, 'AFRICA'), (1, 'ASIA_PACIFIC'), (2, 'EASTERN_EUROPE'),
    (3, 'LATIN_AMERICA_CARIBBEAN'), (4, 'WESTERN_EUROPE_OTHERS');

CREATE TEMP TABLE need_plan AS
SELECT i,
       CASE WHEN i % 5 < 3
            THEN (SELECT code FROM affected WHERE k = i % (SELECT count(*) FROM affected))
            ELSE (SELECT code FROM others WHERE k = i % (SELECT count(*) FROM others)) END AS code,
       i % 5 < 3 AS affected,
       pg_temp.h('need:' || i) AS r,
       pg_temp.h('need-amount:' || i) AS ra,
       (timestamptz '2025-01-06 08:00:00+00' + (i * interval '4 hours 17 minutes')) AS created_at
FROM generate_series(1, 2000) AS i;

INSERT INTO assistance_needs (id, state_code, thematic_area, assistance_types, title, description,
                              amount_cents, currency, period_start, period_end, status,
                              source_report_id, created_at, updated_at, covered_cents)
SELECT pg_temp.uuid7(n.created_at, 'need:' || n.i), n.code, a.area, tt.types,
       format('%s: %s, request %s', n.code, initcap(replace(lower(a.area), '_', ' ')), n.i),
       format('Request %s of %s for %s. The national authority seeks %s to carry out the '
              'activities of its national strategy and work plan for the coming years, '
              'coordinated with its operators and partners; reporting every six months.',
              n.i, n.code, lower(replace(a.area, '_', ' ')), lower(replace(tt.types, ',', ', '))),
       CASE WHEN n.ra < 90 THEN (20000 + 30000 * n.ra + 997 * (n.i % 1000))::bigint * 100 END,
       CASE WHEN n.ra < 90 THEN (ARRAY['USD', 'USD', 'EUR', 'CHF', 'USD'])[1 + n.i % 5] END,
       date '2025-07-01' + (n.i % 18) * 30,
       date '2025-07-01' + (n.i % 18) * 30 + 365 * (1 + n.r % 3),
       CASE WHEN n.r < 7 THEN 'WITHDRAWN' ELSE 'OPEN' END,
       CASE WHEN n.r % 10 < 3 THEN (
           SELECT t.id FROM transparency_reports t
           WHERE t.state_code = n.code AND t.kind = 'ANNUAL' AND t.created_at <= n.created_at
           ORDER BY t.reporting_year DESC LIMIT 1) END,
       n.created_at, n.created_at, 0
FROM need_plan n
CROSS JOIN LATERAL (
    SELECT area FROM areas
    WHERE k = CASE WHEN n.affected THEN (ARRAY[0, 0, 0, 1, 1, 3, 3, 4, 5, 0])[1 + n.r % 10]
                   ELSE (ARRAY[4, 5, 3, 2, 6, 4, 1, 5, 4, 3])[1 + n.r % 10] END
) a
CROSS JOIN LATERAL (
    SELECT string_agg(t, ',' ORDER BY k) AS types FROM types
    WHERE k = n.i % 4 OR (n.r % 3 = 0 AND k = (n.i + 1) % 4)
) tt;

---------------------------------------------------------------------------------------------
-- Offers: 60 % from high-income States parties, 40 % from organisations.
CREATE TEMP TABLE donors AS
SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM bound
WHERE income_group = 'HIGH' AND withdrawal IS NULL;
CREATE TEMP TABLE orgs (k int, name text);
INSERT INTO orgs VALUES (0, 'International Committee of the Red Cross'),
    (1, 'United Nations Development Programme'), (2, 'United Nations Mine Action Service'),
    (3, 'The HALO Trust'), (4, 'Mines Advisory Group'), (5, 'Norwegian People''s Aid'),
    (6, 'Humanity & Inclusion'), (7, 'Geneva International Centre for Humanitarian Demining'),
    (8, 'DanChurchAid'), (9, 'Swiss Foundation for Mine Action'), (10, 'UNICEF'),
    (11, 'Cluster Munition Coalition');

CREATE TEMP TABLE offer_plan AS
SELECT i, i % 5 < 3 AS by_state,
       pg_temp.h('offer:' || i) AS r,
       pg_temp.h('offer-amount:' || i) AS ra,
       pg_temp.h('offer-target:' || i) AS rt,
       (timestamptz '2025-01-07 09:00:00+00' + (i * interval '17 hours 3 minutes')) AS created_at
FROM generate_series(1, 500) AS i;

INSERT INTO assistance_offers (id, provider_state_code, provider_organization, thematic_areas,
                               assistance_types, title, description, amount_cents, currency,
                               target_regions, target_state_codes, period_start, period_end,
                               status, created_at, updated_at, committed_cents)
SELECT pg_temp.uuid7(o.created_at, 'offer:' || o.i),
       CASE WHEN o.by_state THEN (SELECT code FROM donors WHERE k = o.i % (SELECT count(*) FROM donors)) END,
       CASE WHEN NOT o.by_state THEN (SELECT name FROM orgs WHERE k = o.i % 12) END,
       ta.areas, tt.types,
       format('Offer %s: %s', o.i, initcap(replace(lower(split_part(ta.areas, ',', 1)), '_', ' '))),
       format('Offer %s of support for %s, through %s, subject to the usual agreement on '
              'reporting and monitoring.', o.i, lower(replace(ta.areas, ',', ', ')),
              lower(replace(tt.types, ',', ', '))),
       CASE WHEN o.ra < 85 THEN (50000 + 50000 * o.ra + 991 * o.i)::bigint * 100 END,
       CASE WHEN o.ra < 85 THEN (ARRAY['CHF', 'EUR', 'USD', 'EUR', 'USD'])[1 + o.i % 5] END,
       coalesce(tr.regions, ''), coalesce(ts.codes, ''),
       date '2025-01-01' + (o.i % 20) * 25,
       CASE WHEN o.r % 4 <> 0 THEN date '2025-01-01' + (o.i % 20) * 25 + 365 * (1 + o.r % 3) END,
       CASE WHEN o.r < 5 THEN 'WITHDRAWN' ELSE 'OPEN' END,
       o.created_at, o.created_at, 0
FROM offer_plan o
CROSS JOIN LATERAL (
    SELECT string_agg(area, ',' ORDER BY k) AS areas FROM areas
    WHERE k = (ARRAY[0, 0, 1, 3, 4, 5, 0, 3, 2, 6])[1 + o.r % 10]
       OR (o.r % 2 = 0 AND k = (o.i % 7))
       OR (o.r % 5 = 0 AND k = ((o.i + 3) % 7))
) ta
CROSS JOIN LATERAL (
    SELECT string_agg(t, ',' ORDER BY k) AS types FROM types
    WHERE k = o.i % 4 OR (o.r % 2 = 1 AND k = (o.i + 2) % 4)
) tt
CROSS JOIN LATERAL (
    SELECT string_agg(g, ',' ORDER BY k) AS regions FROM regions
    WHERE o.rt >= 50 AND (k = o.i % 5 OR (o.rt >= 85 AND k = (o.i + 1) % 5))
) tr
CROSS JOIN LATERAL (
    SELECT string_agg(code, ',' ORDER BY code) AS codes FROM affected
    WHERE o.rt < 10 AND k IN (o.i % 9, (o.i + 4) % 9)
) ts;

COMMIT;

ANALYZE;
