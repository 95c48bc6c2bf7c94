-- PostgreSQL schema for the Orleans 10.4.x ADO.NET providers: clustering, grain persistence and reminders. Agent
-- events are stored in the turn grain's own row. (Earlier versions also created the orleansstream* and orleanslease
-- tables for the ADO.NET stream provider; nothing uses them any more and they may be dropped.)
--
-- The providers ship no DDL. At startup each one reads its SQL from orleansquery, binds @Parameters by name and
-- reads result columns by name (case-insensitively). So the query keys, parameter names and result column names
-- below are a fixed contract; the tables, indexes and functions behind them are our own design.
--
-- Idempotent: apply as often as you like, e.g.
--   psql -v ON_ERROR_STOP=1 -f deploy/postgresql/orleans-schema.sql "host=... dbname=orleans user=orleans"
-- Plain SQL without psql meta-commands, so it can also be sent as one Npgsql command. Needs PostgreSQL 9.5+.

BEGIN;

-- Two concurrent applications (e.g. parallel test runs) could still collide on CREATE ... IF NOT EXISTS.
DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('harness:orleans-schema')); END $$;

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);

------------------------------------------------------------------------------------------------------------------
-- Clustering (membership). DeploymentId is the ClusterId.
-- The version row is the optimistic-concurrency token for the whole cluster: every silo insert/update must name
-- the version it read, and bumps it.
------------------------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150) NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)  NOT NULL,
    port         integer      NOT NULL,
    generation   integer      NOT NULL,
    siloname     text         NOT NULL,
    hostname     text         NOT NULL,
    status       integer      NOT NULL,  -- Orleans SiloStatus: 3 = Active, 6 = Dead
    proxyport    integer,
    suspecttimes text,                   -- "silo,time|silo,time", written and parsed by Orleans
    starttime    timestamptz  NOT NULL,
    iamalivetime timestamptz  NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Returns 1 when the silo row was added and the version bumped, 0 when the version was stale or the row exists.
-- The exception block undoes the version bump when the insert hits the primary key.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_siloname text, p_hostname text, p_status integer, p_proxyport integer,
    p_starttime timestamptz, p_iamalivetime timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleansmembershipversiontable
       SET version = version + 1, timestamp = now()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status, p_proxyport,
         p_starttime, p_iamalivetime);
    RETURN 1;
EXCEPTION WHEN unique_violation THEN
    RETURN 0;
END
$$;

-- Returns 1 when the silo row was updated and the version bumped, 0 when the version was stale or the row is gone.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspecttimes text, p_iamalivetime timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleansmembershipversiontable
       SET version = version + 1, timestamp = now()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
     WHERE deploymentid = p_deploymentid AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE no_data_found;  -- caught below, which also rolls back the version bump
    END IF;
    RETURN 1;
EXCEPTION WHEN no_data_found THEN
    RETURN 0;
END
$$;

-- Membership snapshot: always one row for the version (even with no silos), joined with the matching silo rows.
-- A NULL address selects all silos of the cluster.
CREATE OR REPLACE FUNCTION orleans_membership_read(
    p_deploymentid text, p_address text, p_port integer, p_generation integer)
RETURNS TABLE (
    deploymentid varchar, address varchar, port integer, generation integer, siloname text, hostname text,
    status integer, proxyport integer, suspecttimes text, starttime timestamptz, iamalivetime timestamptz,
    version integer)
LANGUAGE sql STABLE AS $$
    SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname,
           m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime, v.version
      FROM orleansmembershipversiontable AS v
      LEFT JOIN orleansmembershiptable AS m
        ON m.deploymentid = v.deploymentid
       AND (p_address IS NULL
            OR (m.address = p_address AND m.port = p_port AND m.generation = p_generation))
     WHERE v.deploymentid = p_deploymentid;
$$;

------------------------------------------------------------------------------------------------------------------
-- Grain persistence. Version is the ETag: a write must name the version it read (NULL = never stored).
------------------------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512),             -- string key or key extension, NULL for plain int/guid keys
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea,                    -- NULL after ClearStateAsync
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NOT NULL
);

-- One row per grain state. Also what makes two racing first writes safe: the loser hits this index.
-- (NULL and '' extensions share a slot; Orleans does not produce both for one grain.)
CREATE UNIQUE INDEX IF NOT EXISTS orleansstorage_grain_ux ON orleansstorage
    (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring,
     coalesce(grainidextensionstring, ''));

-- Returns the new version, or NULL on a conflict (stale version, or a first write that lost a race):
-- Orleans turns NULL or an unchanged version into InconsistentStateException.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grainidhash integer, p_grainidn0 bigint, p_grainidn1 bigint, p_graintypehash integer,
    p_graintypestring text, p_grainidextensionstring text, p_serviceid text,
    p_version integer, p_payload bytea)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_new integer;
BEGIN
    IF p_version IS NULL THEN
        -- ON CONFLICT, not an EXCEPTION block: that would open a subtransaction (and take a second xid) for
        -- every new grain's first write. A row that exists already is a lost race: no version back.
        INSERT INTO orleansstorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
             serviceid, payloadbinary, modifiedon, version)
        VALUES
            (p_grainidhash, p_grainidn0, p_grainidn1, p_graintypehash, p_graintypestring,
             p_grainidextensionstring, p_serviceid, p_payload, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new;
        RETURN v_new;
    END IF;

    UPDATE orleansstorage
       SET payloadbinary = p_payload, modifiedon = now(), version = version + 1
     WHERE grainidhash = p_grainidhash AND graintypehash = p_graintypehash
       AND grainidn0 = p_grainidn0 AND grainidn1 = p_grainidn1
       AND serviceid = p_serviceid AND graintypestring = p_graintypestring
       AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
       AND version = p_version
    RETURNING version INTO v_new;
    RETURN v_new;
END
$$;

------------------------------------------------------------------------------------------------------------------
-- Reminders. GrainHash is the grain's uniform hash stored as a signed int; silos read their ring range by it.
------------------------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid    varchar(150) NOT NULL,
    grainid      text         NOT NULL,
    remindername text         NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,  -- milliseconds
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS orleansreminderstable_hash_ix ON orleansreminderstable (serviceid, grainhash);

------------------------------------------------------------------------------------------------------------------
-- The queries the providers run. Upserted so that re-applying this file also updates changed query text.
------------------------------------------------------------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Clustering ----------------------------------------------------------------------------------------------------
('InsertMembershipVersionKey', $q$
    WITH added AS (
        INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM added
$q$),

('InsertMembershipKey', $q$
    SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                     @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),

('UpdateMembershipKey', $q$
    SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                     @IAmAliveTime, @Version)
$q$),

('UpdateIAmAlivetimeKey', $q$
    UPDATE orleansmembershiptable
       SET iamalivetime = @IAmAliveTime
     WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

('MembershipReadRowKey', $q$
    SELECT * FROM orleans_membership_read(@DeploymentId, @Address, @Port, @Generation)
$q$),

('MembershipReadAllKey', $q$
    SELECT * FROM orleans_membership_read(@DeploymentId, NULL, NULL, NULL)
$q$),

('GatewaysQueryKey', $q$
    SELECT address, proxyport, generation
      FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
$q$),

('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;
$q$),

-- Same rule as Orleans' in-memory table: drop non-Active silos (3 = Active) not heard from since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3
$q$),

-- Persistence ---------------------------------------------------------------------------------------------------
('WriteToStorageKey', $q$
    SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                 @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
           AS newgrainstateversion
$q$),

('ReadFromStorageKey', $q$
    SELECT payloadbinary, modifiedon, version
      FROM orleansstorage
     WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- Clear keeps the row (payload NULL) so the version keeps counting; no row back = version conflict.
('ClearStorageKey', $q$
    UPDATE orleansstorage
       SET payloadbinary = NULL, modifiedon = now(), version = version + 1
     WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version AS newgrainstateversion
$q$),

-- Used instead of ClearStorageKey when DeleteStateOnClear is set; Orleans expects the old version + 1 back.
('DeleteStorageKey', $q$
    DELETE FROM orleansstorage
     WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version + 1 AS newgrainstateversion
$q$),

-- Reminders -----------------------------------------------------------------------------------------------------
('UpsertReminderRowKey', $q$
    INSERT INTO orleansreminderstable AS r
        (serviceid, grainid, remindername, starttime, period, grainhash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
       SET starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
           version = r.version + 1
    RETURNING r.version
$q$),

('ReadReminderRowsKey', $q$
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainid = @GrainId
$q$),

('ReadReminderRowKey', $q$
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName
$q$),

-- Ring range (BeginHash, EndHash] that does not wrap around ...
('ReadRangeRows1Key', $q$
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash
$q$),

-- ... and one that wraps past int.MaxValue.
('ReadRangeRows2Key', $q$
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash)
$q$),

('DeleteReminderRowKey', $q$
    WITH gone AS (
        DELETE FROM orleansreminderstable
         WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName
           AND version = @Version
        RETURNING 1)
    SELECT count(*)::integer FROM gone
$q$),

('DeleteReminderRowsKey', $q$
    DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

COMMIT;

------------------------------------------------------------------------------------------------------------------
-- Data Protection key ring (ours): the ASP.NET Core Data Protection keys that encrypt secrets at rest (provider
-- API keys set at run time), one ring per ServiceId, so every silo decrypts what another encrypted. Rows are XML
-- key elements, only ever added. Whoever can read this table and orleansstorage can decrypt the secrets: grant
-- both to the silos' role only.
------------------------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS harnessdataprotectionkeys
(
    serviceid    varchar(150) NOT NULL,
    friendlyname varchar(150) NOT NULL,
    xml          text         NOT NULL,
    createdon    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (serviceid, friendlyname)
);
