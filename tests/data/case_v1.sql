BEGIN TRANSACTION;
CREATE TABLE attachments (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	path VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	media_type VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	added_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id)
);
CREATE TABLE counters (
	scope VARCHAR NOT NULL, 
	value INTEGER NOT NULL, 
	PRIMARY KEY (scope)
);
INSERT INTO "counters" VALUES('20210210',3);
CREATE TABLE events (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	operator VARCHAR NOT NULL, 
	action VARCHAR NOT NULL, 
	unit VARCHAR, 
	note VARCHAR, 
	data JSON, 
	PRIMARY KEY (id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id)
);
INSERT INTO "events" VALUES(1,1,'2021-02-10 02:00:00.000000','clerk-v1','intake',NULL,NULL,NULL);
INSERT INTO "events" VALUES(2,2,'2021-02-10 02:05:00.000000','clerk-v1','intake',NULL,NULL,NULL);
INSERT INTO "events" VALUES(3,2,'2021-02-10 02:05:00.000000','clerk-v1','answer',NULL,'到社保网点补办',NULL);
INSERT INTO "events" VALUES(4,3,'2021-02-10 02:09:00.000000','clerk-v1','intake',NULL,NULL,NULL);
CREATE TABLE jiesu_meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "jiesu_meta" VALUES('schema_version','1');
CREATE TABLE tickets (
	id INTEGER NOT NULL, 
	number VARCHAR NOT NULL, 
	external_id VARCHAR, 
	status VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	channel VARCHAR NOT NULL, 
	requester_type VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	content VARCHAR NOT NULL, 
	requester_name VARCHAR, 
	requester_phone VARCHAR, 
	confidential BOOLEAN NOT NULL, 
	address VARCHAR, 
	district VARCHAR, 
	street VARCHAR, 
	community VARCHAR, 
	category VARCHAR, 
	urgent BOOLEAN NOT NULL, 
	reply VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	operator VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (number), 
	UNIQUE (external_id)
);
INSERT INTO "tickets" VALUES(1,'2021021000001',NULL,'pending','complain','phone','person','清源路5号楼停水三天了','清源路5号楼停水三天了',NULL,'13812345678',0,'清源路5号楼',NULL,NULL,NULL,NULL,0,NULL,'2021-02-10 02:00:00.000000','2021-02-10 02:00:00.000000',NULL,'clerk-v1',1);
INSERT INTO "tickets" VALUES(2,'2021021000002',NULL,'answered','consult','phone','person','社保卡怎么补办','社保卡怎么补办',NULL,NULL,0,NULL,NULL,NULL,NULL,NULL,0,'到社保网点补办','2021-02-10 02:05:00.000000','2021-02-10 02:05:00.000000','2021-02-10 02:05:00.000000','clerk-v1',1);
INSERT INTO "tickets" VALUES(3,'2021021000003','V1-3','pending','complain','phone','person','举报无证经营','举报无证经营',NULL,'13912345678',1,NULL,NULL,NULL,NULL,NULL,0,NULL,'2021-02-10 02:09:00.000000','2021-02-10 02:09:00.000000',NULL,'clerk-v1',1);
CREATE INDEX ix_tickets_created_at ON tickets (created_at);
CREATE INDEX ix_tickets_status_created_at ON tickets (status, created_at);
CREATE INDEX ix_events_ticket_id ON events (ticket_id, id);
CREATE INDEX ix_attachments_ticket_id ON attachments (ticket_id);
COMMIT;
