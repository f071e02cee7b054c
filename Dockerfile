FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY dbod ./dbod
COPY extractors ./extractors
COPY sparql_lite ./sparql_lite
COPY cache ./cache
RUN pip install --no-cache-dir .
ENV DBOD_CACHE_DIR=/var/cache/dbod
VOLUME ["/var/cache/dbod"]
EXPOSE 8000
CMD ["dbod", "serve", "--host", "0.0.0.0", "--port", "8000"]
