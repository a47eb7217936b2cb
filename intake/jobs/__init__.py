"""Background jobs: a port (``JobQueue``) and its adapters, the outbox dispatcher and job leases.

    api.py         the port: ``JobQueue.publish(job_id)``; ``runs_locally`` says who runs the job
    tables.py      the job table (state, progress, outbox ``published_at``, lease owner and expiry)
    leases.py      claim / renew / finish / reclaim, all conditional UPDATEs (safe across replicas)
    outbox.py      the dispatcher: publishes unpublished jobs, retries, reclaims expired leases
    runner.py      runs one OCR job under its lease (shared by both adapters)
    inprocess.py   the embedded default: a thread pool in the API process, no broker
    celery_app.py  ``ONCEONLY_QUEUE_URL`` set: Celery on RabbitMQ (amqp://) or Redis (redis://)
"""
