-- A database made by sanctionwatch 0.1.0 (commit cb098c5, before migrations.py): the bundled
-- sample ingested, one incident confirmed, one rejected, one edited. Made with Python's iterdump.
BEGIN TRANSACTION;
CREATE TABLE articles (
	id VARCHAR(64) NOT NULL, 
	url TEXT, 
	canonical_url TEXT, 
	source TEXT, 
	title TEXT, 
	published VARCHAR(10), 
	language VARCHAR(16), 
	author TEXT, 
	text TEXT NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	metadata JSON, 
	fetched_at VARCHAR(32), 
	created_at VARCHAR(32) NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (canonical_url)
);
INSERT INTO "articles" VALUES('seed-dailynk-20240516-workers',NULL,NULL,'Daily NK (via an aggregator page)','N. Korea dispatches large number of workers to China','2024-05-16','en',NULL,'N. Korea dispatches large number of workers to China

The North Korean authorities have recently dispatched a large number of workers to China, Daily NK has learned. Amid a recent improvement in Beijing-Pyongyang relations and a weakening in the UN Security Council’s network for monitoring sanctions against the North, North Korea appears to be moving aggressively to send more workers overseas.

Speaking on condition of anonymity, a source in China told Daily NK on Tuesday that the North Korean authorities have been sending large batches of additional workers to China since the end of April.

Dozens or even hundreds of workers have been entering China in each batch, with one or two thousand workers making the move since the end of April, the source estimated.

The new North Korean workers have been put to work right away at clothing and electronics parts factories in China’s Jilin Province. Chinese consular officials went around inspecting the factories where the workers would be assigned at the beginning of April, shortly before the workers were to be deployed to China.

The new workers have generally been entering China by crossing into Jilin Province from North Korea’s North Hamgyong Province, either from Namyang, in Onsong County, to Tumen or from Musan County to Nanping.

Even though the factories employing North Koreans are clustered in Dandong, Liaoning Province, no new workers have crossed into Dandong from Sinuiju so far, according to the source. 

Dandong and Sinuiju, as the cities that handle the most North Korea-China trade, allow various forms of transportation, including buses, trucks and freight trains. But the area is also easily accessible to Chinese and foreigners, which leaves it vulnerable to surveillance. That is why new North Korean workers are not being sent directly from Sinuiju to Dandong, the source explained.

But in the border towns of Tumen and Nanping, in Jilin Province, there are strict security checkpoints and searches that make the area difficult for even Chinese people to access. That is why more shipments of workers and goods that contravene sanctions against North Korea are taking place in that area.

China more proactive about worker dispatches after dissolution of U.N. expert panel

The assignment of new workers to China began shortly after last month’s visit to North Korea by Zhao Leji, the chairman of the Standing Committee of the National People’s Congress and the third-ranking member of the Chinese Communist Party. North Korea and China reached an agreement about person-to-person exchange in their high-level deliberations, and the worker assignments followed that agreement,” the source said.

In an article about Zhao’s visit to North Korea on Apr. 13, North Korea’s Rodong Sinmun said that North Korea had “held a frank discussion [with China] about important issues of mutual interest related to expanding and strengthening exchange and cooperation in a wide range of areas.”

The phrase “exchange and cooperation in a wide range of areas” may refer to sending new workers to China in violation of U.N. Security Council sanctions.

Significantly, an expert panel under the U.N. Security Council Sanctions Committee on North Korea was dissolved on Apr. 30 after Russia vetoed a plan to extend the panel’s mandate in March. Since then, China has been more proactive than before about allowing new North Korean workers to be assigned to the country.

“Even after the borders were reopened after COVID-19, China had not been allowing North Korean workers to enter the country. But China is allowing that now because it recently restored relations with North Korea and due to the fact that sanctions against the North are less of a liability,” the source said.

Since factories in Liaoning Province also need more workers from North Korea, it may be possible for those factories to hire North Korean workers indirectly even if they cannot come directly through the Dandong–Sinuiju route.

“Since last year, clothing companies and electronics companies in Liaoning Province have been sending workers back home without bringing on any new workers. They’re running short on labor, so workers who enter China through Nanping or Tumen [in Jilin Province] could end up being hired in Liaoning Province,” the source said.','8d7083b5902e6411fa7beee0dcf7df417563ea258a221d26c63ead7fb394a35c','{"credits": "Translated by David Carruth. Edited by Robert Lauler."}',NULL,'2026-12-01T20:32:31+00:00','2026-12-01T20:32:31+00:00');
CREATE TABLE feed_entries (
	id INTEGER NOT NULL, 
	feed_id INTEGER NOT NULL, 
	guid TEXT NOT NULL, 
	url TEXT, 
	article_id VARCHAR(64), 
	seen_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_feed_entry_guid UNIQUE (feed_id, guid), 
	FOREIGN KEY(feed_id) REFERENCES feeds (id) ON DELETE CASCADE
);
CREATE TABLE feeds (
	id INTEGER NOT NULL, 
	url TEXT NOT NULL, 
	name TEXT, 
	title TEXT, 
	etag TEXT, 
	last_modified TEXT, 
	last_success_at VARCHAR(32), 
	last_error TEXT, 
	last_error_at VARCHAR(32), 
	consecutive_failures INTEGER NOT NULL, 
	next_poll_at VARCHAR(32), 
	paused BOOLEAN NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (url)
);
CREATE TABLE incidents (
	id VARCHAR(64) NOT NULL, 
	article_id VARCHAR(64) NOT NULL, 
	type VARCHAR(64) NOT NULL, 
	data JSON NOT NULL, 
	countries TEXT NOT NULL, 
	start_date VARCHAR(10), 
	end_date VARCHAR(10), 
	search_text TEXT NOT NULL, 
	confidence FLOAT NOT NULL, 
	extractor_version VARCHAR(32) NOT NULL, 
	run_id INTEGER, 
	current BOOLEAN NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE, 
	FOREIGN KEY(run_id) REFERENCES runs (id)
);
INSERT INTO "incidents" VALUES('i-ab8cdb4544ae2778','seed-dailynk-20240516-workers','labor_export','{"article_id": "seed-dailynk-20240516-workers", "type": "labor_export", "summary": "Reported: Labour export of 1,000\u20132,000 workers involving Jilin Province, North Hamgyong Province, Namyang, Onsong County (since the end of April).", "actors": [{"name": "North Korean", "country": "KP", "role": "perpetrator"}, {"name": "China", "country": "CN", "role": "counterpart"}], "quantity": {"min": 1000, "max": 2000, "unit": "persons", "item": "workers"}, "commodity": "workers", "vessels": [], "locations": [{"name": "Jilin Province", "country": "CN", "admin1": "Jilin", "role": "site", "lat": null, "lon": null}, {"name": "North Hamgyong Province", "country": "KP", "admin1": "North Hamgyong", "role": "origin", "lat": null, "lon": null}, {"name": "Namyang", "country": "KP", "admin1": "North Hamgyong", "role": "crossing", "lat": 42.9504, "lon": 129.8557}, {"name": "Onsong County", "country": "KP", "admin1": "North Hamgyong", "role": "origin", "lat": 42.9572, "lon": 129.9933}, {"name": "Tumen", "country": "CN", "admin1": "Jilin", "role": "crossing", "lat": 42.9656, "lon": 129.842}, {"name": "Musan County", "country": "KP", "admin1": "North Hamgyong", "role": "origin", "lat": 42.2261, "lon": 129.2078}, {"name": "Nanping", "country": "CN", "admin1": "Jilin", "role": "crossing", "lat": 42.2629, "lon": 129.2044}], "time": {"start": "2024-04-21", "end": "2024-05-16", "precision": "month", "text": "since the end of April"}, "attribution": "anonymous_source", "certainty": "reported", "provisions": ["UNSCR 2375 OP17", "UNSCR 2397 OP8"], "evidence": ["Speaking on condition of anonymity, a source in China told Daily NK on Tuesday that the North Korean authorities have been sending large batches of additional workers to China since the end of April.", "Dozens or even hundreds of workers have been entering China in each batch, with one or two thousand workers making the move since the end of April, the source estimated.", "The new North Korean workers have been put to work right away at clothing and electronics parts factories in China\u2019s Jilin Province.", "The new workers have generally been entering China by crossing into Jilin Province from North Korea\u2019s North Hamgyong Province, either from Namyang, in Onsong County, to Tumen or from Musan County to Nanping."], "confidence": 0.7}',',CN,KP,','2024-04-21','2024-05-16','reported: labour export of 1,000–2,000 workers involving jilin province, north hamgyong province, namyang, onsong county (since the end of april). workers speaking on condition of anonymity, a source in china told daily nk on tuesday that the north korean authorities have been sending large batches of additional workers to china since the end of april. dozens or even hundreds of workers have been entering china in each batch, with one or two thousand workers making the move since the end of april, the source estimated. the new north korean workers have been put to work right away at clothing and electronics parts factories in china’s jilin province. the new workers have generally been entering china by crossing into jilin province from north korea’s north hamgyong province, either from namyang, in onsong county, to tumen or from musan county to nanping. north korean china jilin province north hamgyong province namyang onsong county tumen musan county nanping',0.7,'0.2.0',1,1,'2026-12-01T20:32:31+00:00','2026-12-01T20:32:31+00:00');
INSERT INTO "incidents" VALUES('i-e52c7c02b2d43a3a','seed-dailynk-20240516-workers','context_diplomatic','{"article_id": "seed-dailynk-20240516-workers", "type": "context_diplomatic", "summary": "Diplomatic context involving China (on Apr. 13).", "actors": [{"name": "North Korea", "country": "KP", "role": "counterpart"}, {"name": "China", "country": "CN", "role": "counterpart"}, {"name": "Russia", "country": "RU", "role": "counterpart"}], "quantity": null, "commodity": null, "vessels": [], "locations": [{"name": "China", "country": "CN", "admin1": null, "role": "destination", "lat": null, "lon": null}], "time": {"start": "2024-04-13", "end": "2024-04-13", "precision": "day", "text": "on Apr. 13"}, "attribution": "official_media", "certainty": "asserted", "provisions": [], "evidence": ["The assignment of new workers to China began shortly after last month\u2019s visit to North Korea by Zhao Leji, the chairman of the Standing Committee of the National People\u2019s Congress and the third-ranking member of the Chinese Communist Party.", "In an article about Zhao\u2019s visit to North Korea on Apr. 13, North Korea\u2019s Rodong Sinmun said that North Korea had \u201cheld a frank discussion [with China] about important issues of mutual interest related to expanding and strengthening exchange and cooperation in a wide range of areas.\u201d", "Significantly, an expert panel under the U.N. Security Council Sanctions Committee on North Korea was dissolved on Apr. 30 after Russia vetoed a plan to extend the panel\u2019s mandate in March."], "confidence": 0.8}',',CN,KP,RU,','2024-04-13','2024-04-13','diplomatic context involving china (on apr. 13).  the assignment of new workers to china began shortly after last month’s visit to north korea by zhao leji, the chairman of the standing committee of the national people’s congress and the third-ranking member of the chinese communist party. in an article about zhao’s visit to north korea on apr. 13, north korea’s rodong sinmun said that north korea had “held a frank discussion [with china] about important issues of mutual interest related to expanding and strengthening exchange and cooperation in a wide range of areas.” significantly, an expert panel under the u.n. security council sanctions committee on north korea was dissolved on apr. 30 after russia vetoed a plan to extend the panel’s mandate in march. north korea china russia china',0.8,'0.2.0',1,1,'2026-12-01T20:32:31+00:00','2026-12-01T20:32:31+00:00');
INSERT INTO "incidents" VALUES('i-aa641485835b7523','seed-dailynk-20240516-workers','context_enforcement','{"article_id": "seed-dailynk-20240516-workers", "type": "context_enforcement", "summary": "Enforcement action (on Apr. 30).", "actors": [{"name": "U.N. Security Council", "country": null, "role": "enforcer"}, {"name": "Russia", "country": "RU", "role": "enforcer"}], "quantity": null, "commodity": null, "vessels": [], "locations": [], "time": {"start": "2024-04-30", "end": "2024-04-30", "precision": "day", "text": "on Apr. 30"}, "attribution": "named_official", "certainty": "asserted", "provisions": [], "evidence": ["Significantly, an expert panel under the U.N. Security Council Sanctions Committee on North Korea was dissolved on Apr. 30 after Russia vetoed a plan to extend the panel\u2019s mandate in March."], "confidence": 0.6}',',RU,','2024-04-30','2024-04-30','enforcement action (on apr. 30).  significantly, an expert panel under the u.n. security council sanctions committee on north korea was dissolved on apr. 30 after russia vetoed a plan to extend the panel’s mandate in march. u.n. security council russia',0.6,'0.2.0',1,1,'2026-12-01T20:32:31+00:00','2026-12-01T20:32:31+00:00');
CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('schema_version','1');
CREATE TABLE reviews (
	incident_id VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	edited_data JSON, 
	note TEXT, 
	reviewer TEXT, 
	updated_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (incident_id)
);
INSERT INTO "reviews" VALUES('i-e52c7c02b2d43a3a','confirmed','null','checked',NULL,'2026-12-01T20:32:31+00:00');
INSERT INTO "reviews" VALUES('i-ab8cdb4544ae2778','rejected','null','not an incident',NULL,'2026-12-01T20:32:31+00:00');
INSERT INTO "reviews" VALUES('i-aa641485835b7523','edited','{"summary": "Analyst wording."}',NULL,NULL,'2026-12-01T20:32:31+00:00');
CREATE TABLE runs (
	id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	extractor_version VARCHAR(32) NOT NULL, 
	started_at VARCHAR(32) NOT NULL, 
	finished_at VARCHAR(32), 
	articles INTEGER NOT NULL, 
	incidents INTEGER NOT NULL, 
	failures INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "runs" VALUES(1,'ingest','0.2.0','2026-12-01T20:32:26+00:00','2026-12-01T20:32:31+00:00',1,3,0);
CREATE INDEX ix_articles_content_hash ON articles (content_hash);
CREATE INDEX ix_incidents_article_id ON incidents (article_id);
CREATE INDEX ix_incidents_dates ON incidents (start_date, end_date);
CREATE INDEX ix_incidents_type ON incidents (type);
COMMIT;
