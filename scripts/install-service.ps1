# Install (or remove) the PostGuard companion as a scheduled task that starts at log-on (Windows).
#   .\scripts\install-service.ps1                 # install and start
#   .\scripts\install-service.ps1 -Uninstall
param([switch]$Uninstall, [string[]]$ServeArgs = @())
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3 -m venv .venv }
.\.venv\Scripts\python.exe -m pip install --quiet -e .
if ($Uninstall) { .\.venv\Scripts\postguard.exe service uninstall }
else { .\.venv\Scripts\postguard.exe service install -- @ServeArgs }
