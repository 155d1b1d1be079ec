FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY tracker tracker
COPY provisions provisions
COPY states states
RUN pip install --no-cache-dir .
COPY . .
RUN python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]
