"""Account administration (admin only) and the session health endpoint ``/api/me``.

``/api/me`` is the cheap "am I still signed in?" check clients use before reusing a
saved session: 200 with the user, or 401 JSON.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from portwright_valant.sandbox.auth.guards import current_user, require_role
from portwright_valant.sandbox.auth.roles import Role
from portwright_valant.sandbox.auth.runtime import runtime_of
from portwright_valant.sandbox.auth.users import User
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.templating import render

__all__ = ["install_admin"]


def install_admin(app: FastAPI) -> None:
    router = APIRouter()

    @router.get("/api/me")
    def me(user: User = Depends(current_user)) -> JSONResponse:  # noqa: B008
        return JSONResponse({"id": user.id, "username": user.username,
                             "displayName": user.display_name, "role": user.role})

    @router.get("/admin/users")
    def users_page(request: Request,
                   user: User = Depends(require_role(Role.ADMIN))) -> Response:  # noqa: B008
        rt = runtime_of(request)
        now = rt.now()
        with rt.read() as conn:
            rows = conn.execute(
                "SELECT id, username, display_name, role, mfa_method, sso_subject,"
                " locked_until FROM users ORDER BY username").fetchall()
        accounts = [{**dict(r), "locked": bool(r["locked_until"] and r["locked_until"] > now)}
                    for r in rows]
        return render(request, rt.state, "auth/admin_users.html", accounts=accounts,
                      active_nav="admin")

    @router.post("/admin/users/{user_id}/unlock", dependencies=[Depends(verify_csrf)])
    def unlock(request: Request, user_id: int,
               user: User = Depends(require_role(Role.ADMIN))) -> Response:  # noqa: B008
        rt = runtime_of(request)
        with rt.write() as conn:
            conn.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                         (user_id,))
            rt.event(conn, user.username, "unlock", str(user_id))
        return RedirectResponse("/admin/users?flash=Account+unlocked", status_code=303)

    app.include_router(router)
