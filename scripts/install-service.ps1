# Install (or remove) the PostGuard companion as a scheduled task that starts at log-on (Windows).
# Its log: %LOCALAPPDATA%\PostGuard\logs\companion.log (each user's own).
#   .\scripts\install-service.ps1                 # for this user: install and start
#   .\scripts\install-service.ps1 -AllUsers       # as administrator: every user, at each one's next log-on
#                                                 # (the checkout must be in a folder only administrators can change)
#   .\scripts\install-service.ps1 -Show           # print the PowerShell that registers the task
#   .\scripts\install-service.ps1 -Uninstall [-AllUsers]
param([switch]$Uninstall, [switch]$AllUsers, [switch]$Show, [string[]]$ServeArgs = @())
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3 -m venv .venv }
.\.venv\Scripts\python.exe -m pip install --quiet -e .
$action = if ($Uninstall) { "uninstall" } elseif ($Show) { "show" } else { "install" }
$scope = if ($AllUsers) { @("--all-users") } else { @() }
.\.venv\Scripts\postguard.exe service $action @scope '--' @ServeArgs   # quoted: a bare -- is PowerShell's own
