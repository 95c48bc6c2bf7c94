-- PostgreSQL schema for the Orleans 10.4.x ADO.NET providers: clustering, grain persistence, reminders, and the
-- durable queue of the ADO.NET stream provider (Microsoft.Orleans.Streaming.AdoNet 10.4.2-alpha.1).
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
        BEGIN
            INSERT INTO orleansstorage
                (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
                 serviceid, payloadbinary, modifiedon, version)
            VALUES
                (p_grainidhash, p_grainidn0, p_grainidn1, p_graintypehash, p_graintypestring,
                 p_grainidextensionstring, p_serviceid, p_payload, now(), 1);
            RETURN 1;
        EXCEPTION WHEN unique_violation THEN
            RETURN NULL;
        END;
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
-- Streams (ADO.NET stream provider). A queue is a (ServiceId, ProviderId, QueueId) slice of one message table; a
-- stream always maps to one queue. MessageId comes from one sequence and is the delivery order (and the stream
-- sequence token) within a queue. Reading a message leases it: Dequeued counts the leases, VisibleOn is when the
-- lease runs out and the message may be read again (e.g. by the silo that took over the queue of a dead one).
-- A confirmed message is deleted. A message read MaxAttempts times, or past ExpiresOn, goes to the dead letters,
-- which are deleted at RemoveOn. Timeouts arrive as whole seconds.
------------------------------------------------------------------------------------------------------------------

CREATE SEQUENCE IF NOT EXISTS orleansstreammessage_id;

CREATE TABLE IF NOT EXISTS orleansstreammessage
(
    serviceid  varchar(150) NOT NULL,
    providerid varchar(150) NOT NULL,
    queueid    varchar(150) NOT NULL,
    messageid  bigint       NOT NULL DEFAULT nextval('orleansstreammessage_id'),
    dequeued   integer      NOT NULL DEFAULT 0,
    visibleon  timestamptz  NOT NULL DEFAULT now(),
    expireson  timestamptz  NOT NULL,
    createdon  timestamptz  NOT NULL DEFAULT now(),
    modifiedon timestamptz  NOT NULL DEFAULT now(),
    payload    bytea        NOT NULL,               -- the provider's serialized batch container
    PRIMARY KEY (serviceid, providerid, queueid, messageid)
);

CREATE TABLE IF NOT EXISTS orleansstreamdeadletter
(
    serviceid  varchar(150) NOT NULL,
    providerid varchar(150) NOT NULL,
    queueid    varchar(150) NOT NULL,
    messageid  bigint       NOT NULL,
    dequeued   integer      NOT NULL,
    visibleon  timestamptz  NOT NULL,
    expireson  timestamptz  NOT NULL,
    createdon  timestamptz  NOT NULL,
    modifiedon timestamptz  NOT NULL,
    deadon     timestamptz  NOT NULL,
    removeon   timestamptz  NOT NULL,
    payload    bytea,
    PRIMARY KEY (serviceid, providerid, queueid, messageid)
);

CREATE INDEX IF NOT EXISTS orleansstreamdeadletter_removeon_ix ON orleansstreamdeadletter
    (serviceid, providerid, queueid, removeon);

-- When each queue is next due for housekeeping (moving dead messages, dropping old dead letters).
CREATE TABLE IF NOT EXISTS orleansstreamcontrol
(
    serviceid  varchar(150) NOT NULL,
    providerid varchar(150) NOT NULL,
    queueid    varchar(150) NOT NULL,
    evicton    timestamptz  NOT NULL,
    PRIMARY KEY (serviceid, providerid, queueid)
);

-- Moves up to p_maxcount messages that ran out of attempts or expired (and are not leased right now) to the dead
-- letters. Rows another transaction holds are left for the next round.
CREATE OR REPLACE FUNCTION orleans_stream_evict_messages(
    p_serviceid text, p_providerid text, p_queueid text, p_maxcount integer, p_maxattempts integer,
    p_removaltimeout integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_moved integer;
BEGIN
    WITH victims AS (
        SELECT m.messageid
          FROM orleansstreammessage AS m
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.visibleon <= now()
           AND (m.dequeued >= p_maxattempts OR m.expireson <= now())
         ORDER BY m.messageid
         LIMIT p_maxcount
           FOR UPDATE SKIP LOCKED),
    gone AS (
        DELETE FROM orleansstreammessage AS m
         USING victims AS v
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = v.messageid
        RETURNING m.*)
    INSERT INTO orleansstreamdeadletter
        (serviceid, providerid, queueid, messageid, dequeued, visibleon, expireson, createdon, modifiedon,
         deadon, removeon, payload)
    SELECT g.serviceid, g.providerid, g.queueid, g.messageid, g.dequeued, g.visibleon, g.expireson, g.createdon,
           g.modifiedon, now(), now() + p_removaltimeout * interval '1 second', g.payload
      FROM gone AS g;
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    RETURN v_moved;
END
$$;

-- Deletes up to p_maxcount dead letters whose removal time has come.
CREATE OR REPLACE FUNCTION orleans_stream_evict_deadletters(
    p_serviceid text, p_providerid text, p_queueid text, p_maxcount integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_removed integer;
BEGIN
    DELETE FROM orleansstreamdeadletter AS d
     WHERE d.serviceid = p_serviceid AND d.providerid = p_providerid AND d.queueid = p_queueid
       AND d.messageid IN (
           SELECT x.messageid
             FROM orleansstreamdeadletter AS x
            WHERE x.serviceid = p_serviceid AND x.providerid = p_providerid AND x.queueid = p_queueid
              AND x.removeon <= now()
            ORDER BY x.removeon
            LIMIT p_maxcount
              FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    RETURN v_removed;
END
$$;

-- Leases the next p_maxcount readable messages of a queue, oldest first, and returns them in MessageId order.
-- At most once per p_evictioninterval per queue, the first reader also does the housekeeping. An idle poll only
-- reads: the control row is touched when housekeeping is due, and messages only when there are any.
CREATE OR REPLACE FUNCTION orleans_stream_dequeue(
    p_serviceid text, p_providerid text, p_queueid text, p_maxcount integer, p_maxattempts integer,
    p_visibilitytimeout integer, p_removaltimeout integer, p_evictioninterval integer, p_evictionbatchsize integer)
RETURNS TABLE (
    serviceid varchar, providerid varchar, queueid varchar, messageid bigint, dequeued integer,
    visibleon timestamptz, expireson timestamptz, createdon timestamptz, modifiedon timestamptz, payload bytea)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM orleansstreamcontrol AS c
         WHERE c.serviceid = p_serviceid AND c.providerid = p_providerid AND c.queueid = p_queueid
           AND c.evicton > now()) THEN
        -- Claim this round: creates the control row, or moves it on only if it is still due (one winner).
        INSERT INTO orleansstreamcontrol AS c (serviceid, providerid, queueid, evicton)
        VALUES (p_serviceid, p_providerid, p_queueid, now() + p_evictioninterval * interval '1 second')
        ON CONFLICT (serviceid, providerid, queueid) DO UPDATE
           SET evicton = excluded.evicton
         WHERE c.evicton <= now();
        IF FOUND THEN
            PERFORM orleans_stream_evict_messages(p_serviceid, p_providerid, p_queueid, p_evictionbatchsize,
                                                  p_maxattempts, p_removaltimeout);
            PERFORM orleans_stream_evict_deadletters(p_serviceid, p_providerid, p_queueid, p_evictionbatchsize);
        END IF;
    END IF;

    RETURN QUERY
    WITH next AS (
        SELECT m.messageid
          FROM orleansstreammessage AS m
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.visibleon <= now() AND m.expireson > now() AND m.dequeued < p_maxattempts
         ORDER BY m.messageid
         LIMIT p_maxcount
           FOR UPDATE),
    leased AS (
        UPDATE orleansstreammessage AS m
           SET dequeued = m.dequeued + 1,
               visibleon = now() + p_visibilitytimeout * interval '1 second',
               modifiedon = now()
          FROM next AS n
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = n.messageid
        RETURNING m.serviceid, m.providerid, m.queueid, m.messageid, m.dequeued, m.visibleon, m.expireson,
                  m.createdon, m.modifiedon, m.payload)
    SELECT l.serviceid, l.providerid, l.queueid, l.messageid, l.dequeued, l.visibleon, l.expireson,
           l.createdon, l.modifiedon, l.payload
      FROM leased AS l
     ORDER BY l.messageid;
END
$$;

-- p_items is "MessageId:Dequeued|MessageId:Dequeued|...". The Dequeued count is a receipt: only the reader that holds
-- the current lease matches it. A positive receipt confirms (deletes) the message; a negative one releases it for
-- immediate re-reading (a receiver handing its queue over). Returns the messages that matched.
CREATE OR REPLACE FUNCTION orleans_stream_confirm(
    p_serviceid text, p_providerid text, p_queueid text, p_items text)
RETURNS TABLE (serviceid varchar, providerid varchar, queueid varchar, messageid bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH receipts AS (
        SELECT split_part(item, ':', 1)::bigint AS messageid, split_part(item, ':', 2)::integer AS receipt
          FROM unnest(string_to_array(p_items, '|')) AS item
         WHERE item <> ''),
    held AS (
        SELECT m.messageid, r.receipt
          FROM orleansstreammessage AS m
          JOIN receipts AS r ON r.messageid = m.messageid AND abs(r.receipt) = m.dequeued
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
         ORDER BY m.messageid
           FOR UPDATE OF m),
    confirmed AS (
        DELETE FROM orleansstreammessage AS m
         USING held AS h
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = h.messageid AND h.receipt > 0
        RETURNING m.serviceid, m.providerid, m.queueid, m.messageid),
    released AS (
        UPDATE orleansstreammessage AS m
           SET visibleon = now(), modifiedon = now()
          FROM held AS h
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = h.messageid AND h.receipt < 0
        RETURNING m.serviceid, m.providerid, m.queueid, m.messageid)
    SELECT * FROM confirmed
    UNION ALL
    SELECT * FROM released;
END
$$;

-- A delivery failed: make the message readable again right away while it has attempts left, else dead-letter it.
CREATE OR REPLACE FUNCTION orleans_stream_fail(
    p_serviceid text, p_providerid text, p_queueid text, p_messageid bigint, p_maxattempts integer,
    p_removaltimeout integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleansstreammessage AS m
       SET visibleon = now(), modifiedon = now()
     WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
       AND m.messageid = p_messageid AND m.dequeued < p_maxattempts;
    IF FOUND THEN
        RETURN;
    END IF;

    WITH gone AS (
        DELETE FROM orleansstreammessage AS m
         WHERE m.serviceid = p_serviceid AND m.providerid = p_providerid AND m.queueid = p_queueid
           AND m.messageid = p_messageid
        RETURNING m.*)
    INSERT INTO orleansstreamdeadletter
        (serviceid, providerid, queueid, messageid, dequeued, visibleon, expireson, createdon, modifiedon,
         deadon, removeon, payload)
    SELECT g.serviceid, g.providerid, g.queueid, g.messageid, g.dequeued, g.visibleon, g.expireson, g.createdon,
           g.modifiedon, now(), now() + p_removaltimeout * interval '1 second', g.payload
      FROM gone AS g;
END
$$;

------------------------------------------------------------------------------------------------------------------
-- Leases (ours, not an Orleans provider contract): the silo's ILeaseProvider for the lease-based queue balancer,
-- so that exactly one silo reads a stream queue at a time. A lease is held by its token until it expires; it
-- can then be taken by anyone, and renewed by its holder as long as nobody did.
------------------------------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleanslease
(
    serviceid   varchar(150) NOT NULL,
    category    varchar(150) NOT NULL,
    resourcekey varchar(300) NOT NULL,
    token       varchar(64)  NOT NULL,
    expireson   timestamptz  NOT NULL,
    PRIMARY KEY (serviceid, category, resourcekey)
);

-- True when the lease is now held with p_token for p_durationms (it was free or had expired).
CREATE OR REPLACE FUNCTION orleans_lease_acquire(
    p_serviceid text, p_category text, p_resourcekey text, p_token text, p_durationms integer)
RETURNS boolean LANGUAGE sql AS $$
    WITH taken AS (
        INSERT INTO orleanslease AS l (serviceid, category, resourcekey, token, expireson)
        VALUES (p_serviceid, p_category, p_resourcekey, p_token, now() + p_durationms * interval '1 millisecond')
        ON CONFLICT (serviceid, category, resourcekey) DO UPDATE
           SET token = excluded.token, expireson = excluded.expireson
         WHERE l.expireson <= now()
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM taken);
$$;

-- True when p_token still holds the lease (now extended); false when someone else took it.
CREATE OR REPLACE FUNCTION orleans_lease_renew(
    p_serviceid text, p_category text, p_resourcekey text, p_token text, p_durationms integer)
RETURNS boolean LANGUAGE sql AS $$
    WITH renewed AS (
        UPDATE orleanslease AS l
           SET expireson = now() + p_durationms * interval '1 millisecond'
         WHERE l.serviceid = p_serviceid AND l.category = p_category AND l.resourcekey = p_resourcekey
           AND l.token = p_token
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM renewed);
$$;

CREATE OR REPLACE FUNCTION orleans_lease_release(
    p_serviceid text, p_category text, p_resourcekey text, p_token text)
RETURNS void LANGUAGE sql AS $$
    DELETE FROM orleanslease AS l
     WHERE l.serviceid = p_serviceid AND l.category = p_category AND l.resourcekey = p_resourcekey
       AND l.token = p_token;
$$;

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
$q$),

-- Streams -------------------------------------------------------------------------------------------------------
('QueueStreamMessageKey', $q$
    INSERT INTO orleansstreammessage (serviceid, providerid, queueid, payload, expireson)
    VALUES (@ServiceId, @ProviderId, @QueueId, @Payload, now() + @ExpiryTimeout * interval '1 second')
    RETURNING serviceid, providerid, queueid, messageid
$q$),

('GetStreamMessagesKey', $q$
    SELECT * FROM orleans_stream_dequeue(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts,
                                         @VisibilityTimeout, @RemovalTimeout, @EvictionInterval, @EvictionBatchSize)
$q$),

('ConfirmStreamMessagesKey', $q$
    SELECT * FROM orleans_stream_confirm(@ServiceId, @ProviderId, @QueueId, @Items)
$q$),

('FailStreamMessageKey', $q$
    SELECT orleans_stream_fail(@ServiceId, @ProviderId, @QueueId, @MessageId, @MaxAttempts, @RemovalTimeout)
$q$),

-- Not called by the 10.4.2 provider (its dequeue does the housekeeping), but it refuses to start without them.
('EvictStreamMessagesKey', $q$
    SELECT orleans_stream_evict_messages(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @RemovalTimeout)
$q$),

('EvictStreamDeadLettersKey', $q$
    SELECT orleans_stream_evict_deadletters(@ServiceId, @ProviderId, @QueueId, @MaxCount)
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
